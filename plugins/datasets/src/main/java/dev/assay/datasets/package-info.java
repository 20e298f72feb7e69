/**
 * Dataset providers for the idx image format of MNIST and Fashion-MNIST: a reader for idx files
 * (gzip-compressed or plain), the search for local copies (data directories, {@code
 * ASSAY_DATA_DIR}, the Debian package's directory, the user cache), an MD5-checked download, a
 * small real Fashion-MNIST subset bundled as a fallback, and the {@link
 * dev.assay.datasets.DatasetsPlugin} that registers {@code fashion-mnist} and {@code mnist}.
 */
package dev.assay.datasets;
