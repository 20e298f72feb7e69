/** Optimizer providers backed by DJL's optimizers: SGD, momentum, Nesterov, RMSProp, Adam, AdamW, AdaGrad, AdaDelta. */
package dev.assay.optimizers;
