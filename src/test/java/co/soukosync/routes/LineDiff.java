package co.soukosync.routes;

import java.util.ArrayList;
import java.util.List;

/**
 * A line diff of two texts, as "- old" and "+ new" lines (numbered as in the old text) with two lines of context, for a
 * failure message.
 */
final class LineDiff {

    private static final int CONTEXT = 2;

    private LineDiff() {
    }

    static String diff(String before, String after) {
        String[] a = before.split("\n", -1);
        String[] b = after.split("\n", -1);
        // longest common subsequence, from the end
        int[][] common = new int[a.length + 1][b.length + 1];
        for (int i = a.length - 1; i >= 0; i--) {
            for (int j = b.length - 1; j >= 0; j--) {
                common[i][j] = a[i].equals(b[j]) ? common[i + 1][j + 1] + 1 : Math.max(common[i + 1][j], common[i][j + 1]);
            }
        }
        List<String> lines = new ArrayList<>();
        List<Boolean> changed = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.length || j < b.length) {
            if (i < a.length && j < b.length && a[i].equals(b[j])) {
                lines.add("  " + (i + 1) + ": " + a[i]);
                changed.add(false);
                i++;
                j++;
            } else if (i < a.length && (j == b.length || common[i + 1][j] >= common[i][j + 1])) {
                lines.add("- " + (i + 1) + ": " + a[i++]);
                changed.add(true);
            } else {
                lines.add("+ " + (i + 1) + ": " + b[j++]);
                changed.add(true);
            }
        }
        StringBuilder text = new StringBuilder();
        int last = -1;
        for (int k = 0; k < lines.size(); k++) {
            boolean near = false;
            for (int d = Math.max(0, k - CONTEXT); d <= Math.min(lines.size() - 1, k + CONTEXT); d++) {
                near |= changed.get(d);
            }
            if (near) {
                if (last >= 0 && k > last + 1) {
                    text.append("  …\n");
                }
                text.append(lines.get(k)).append('\n');
                last = k;
            }
        }
        return text.toString();
    }
}
