/** Architecture providers: block builders for the classic networks (MLP so far). */
package dev.assay.architectures;
