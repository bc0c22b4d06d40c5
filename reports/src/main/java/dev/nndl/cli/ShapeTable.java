package dev.nndl.cli;

import dev.nndl.shape.Architecture;
import java.util.ArrayList;
import java.util.List;

/** Renders an {@link Architecture}'s shape table as aligned text. */
final class ShapeTable {

    private static final String[] HEADER = {"#", "layer", "kind", "input", "output", "params", "output size"};

    private ShapeTable() {}

    static String render(Architecture net) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (Architecture.Row r : net.table()) {
            rows.add(new String[] {String.valueOf(r.index()), r.layer().name(), r.layer().describe(), r.in().toString(),
                    r.out().toString(), String.format("%,d", r.params()), r.arithmetic()});
        }
        int[] width = new int[HEADER.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) width[i] = Math.max(width[i], row[i].length());
        }
        StringBuilder b = new StringBuilder();
        b.append(net.description()).append('\n').append("input ").append(net.input()).append("\n\n");
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                boolean right = i == 0 || i == 5;
                String cell = right ? " ".repeat(width[i] - row[i].length()) + row[i] : row[i] + " ".repeat(width[i] - row[i].length());
                line.append(cell).append(i < row.length - 1 ? "  " : "");
            }
            b.append(line.toString().stripTrailing()).append('\n');
        }
        b.append('\n').append(String.format("total parameters: %,d%n", net.totalParams()));
        return b.toString();
    }
}
