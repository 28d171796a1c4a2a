package org.vitbench.metrics.statistics;

/** Argument checks shared by the tests in this package; messages name the bad value. */
final class Inputs {

    private Inputs() {
    }

    /** Rejects NaN and infinite entries; {@code name} appears in the message. */
    static void requireFinite(String name, double[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException(name + "[" + i + "] is " + values[i]
                        + "; only finite scores are allowed (drop failed units before testing)");
            }
        }
    }

    /**
     * Checks a {@code [rows][columns]} table: at least {@code minRows} rows and {@code minColumns}
     * columns, all rows of equal length, all entries finite.
     *
     * @return the number of columns
     */
    static int requireTable(String name, double[][] table, int minRows, int minColumns,
            String rowWord, String columnWord) {
        if (table.length < minRows) {
            throw new IllegalArgumentException(name + " needs at least " + minRows + " " + rowWord
                    + " (rows), got " + table.length);
        }
        int columns = table[0].length;
        if (columns < minColumns) {
            throw new IllegalArgumentException(name + " needs at least " + minColumns + " " + columnWord
                    + " (columns), got " + columns);
        }
        for (int r = 0; r < table.length; r++) {
            if (table[r].length != columns) {
                throw new IllegalArgumentException(name + " row " + r + " has " + table[r].length
                        + " entries but row 0 has " + columns);
            }
            requireFinite(name + "[" + r + "]", table[r]);
        }
        return columns;
    }
}
