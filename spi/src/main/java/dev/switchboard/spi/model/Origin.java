package dev.switchboard.spi.model;

/**
 * Where a configuration element was written: file and 1-based line. Excluded from the equality of the model
 * records that carry it (two snapshots that differ only in line numbers are the same configuration).
 */
public record Origin(String file, int line) {
    /** Not from a file (API, tests). */
    public static final Origin UNKNOWN = new Origin("<unknown>", 0);

    /** The same file at another line. */
    public Origin atLine(int otherLine) {
        return new Origin(file, otherLine);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Origin;
    }

    @Override
    public int hashCode() {
        return 0;
    }

    @Override
    public String toString() {
        return line > 0 ? file + ":" + line : file;
    }
}
