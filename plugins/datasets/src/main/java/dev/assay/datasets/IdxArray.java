package dev.assay.datasets;

import java.util.Arrays;

/**
 * The contents of one idx file of unsigned bytes: its dimensions and its values in row-major
 * order.
 *
 * @param name the file (or resource) name, used in error messages
 * @param magic the magic number read, e.g. {@code 0x00000803} for three-dimensional images
 * @param declaredCount the number of records (first dimension) the file's header declares
 * @param dims the dimensions of {@link #data()}: {@code dims[0]} is the number of records
 *     actually read (at most {@code declaredCount}, fewer when a limit applied), the rest are the
 *     record shape, e.g. {@code (rows, columns)} = {@code (28, 28)} for images and none for labels
 * @param data the values, {@code dims[0] * recordSize()} unsigned bytes (read with {@code & 0xFF})
 */
public record IdxArray(String name, int magic, int declaredCount, int[] dims, byte[] data) {

    /**
     * Copies the dimension array.
     *
     * @param name the file name, for messages
     * @param magic the magic number read
     * @param declaredCount the record count in the header
     * @param dims the dimensions of {@code data}, record count first
     * @param data the values, row-major
     * @throws IllegalArgumentException if {@code dims} is empty or {@code data} does not hold
     *     exactly the product of {@code dims} bytes
     */
    public IdxArray {
        dims = dims.clone();
        if (dims.length == 0) {
            throw new IllegalArgumentException("an idx array needs at least one dimension");
        }
        long expected = (long) dims[0] * recordSize(dims);
        if (data.length != expected) {
            throw new IllegalArgumentException(
                    "data holds " + data.length + " bytes but dims " + Arrays.toString(dims)
                            + " need " + expected);
        }
    }

    /**
     * Returns the number of records read (the first dimension).
     *
     * @return {@code dims()[0]}
     */
    public int count() {
        return dims[0];
    }

    /**
     * Returns the number of bytes in one record: the product of all dimensions but the first
     * (784 for a 28x28 image, 1 for a label).
     *
     * @return the record size in bytes
     */
    public int recordSize() {
        return recordSize(dims);
    }

    /**
     * Returns a copy of the dimensions.
     *
     * @return the dimensions, record count first
     */
    @Override
    public int[] dims() {
        return dims.clone();
    }

    /**
     * Returns the value at a flat index as an unsigned number.
     *
     * @param index the flat index in {@code [0, data().length)}
     * @return the value in {@code [0, 255]}
     * @throws ArrayIndexOutOfBoundsException if the index is out of range
     */
    public int unsigned(int index) {
        return data[index] & 0xFF;
    }

    private static int recordSize(int[] dims) {
        int size = 1;
        for (int i = 1; i < dims.length; i++) {
            size = Math.multiplyExact(size, dims[i]);
        }
        return size;
    }
}
