/** Architecture providers: block builders for the classic networks: MLP, CNN, LSTM, GRU, autoencoder, GAN. */
package dev.assay.architectures;
