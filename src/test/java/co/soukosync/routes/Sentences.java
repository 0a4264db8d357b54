package co.soukosync.routes;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The first sentence of a comment or a Javadoc, as one line of Markdown for a table cell. */
final class Sentences {

    private static final Pattern INLINE_TAG = Pattern.compile("\\{@(code|link|linkplain|value|literal)\\s+([^}]*)}");
    private static final Pattern HTML = Pattern.compile("</?(?:p|ul|ol|li|em|strong|b|i|pre|br|code|a)\\b[^>]*>");
    /** A sentence ends at a full stop followed by a space or the end (not "e.g.", "i.e.", "etc."). */
    private static final Pattern END = Pattern.compile("(?<!\\be\\.g|\\bi\\.e|\\betc)[.!?](?=\\s|$)");
    /** Longer first sentences are cut where their detail starts: their first colon or semicolon. */
    private static final int LONG = 160;

    private Sentences() {
    }

    static String first(String text) {
        String plain = INLINE_TAG.matcher(text).replaceAll(m -> Matcher.quoteReplacement(code(m.group(1), m.group(2))));
        plain = HTML.matcher(plain).replaceAll(" ").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
                .replaceAll("\\s+", " ").strip();
        Matcher end = END.matcher(plain);
        String sentence = end.find() ? plain.substring(0, end.end()) : plain;
        if (sentence.length() > LONG) {
            int cut = detail(sentence);
            if (cut > 0) {
                sentence = sentence.substring(0, cut) + ".";
            }
        }
        return sentence.replace("|", "\\|");
    }

    /** The first ": " or "; " outside parentheses and backquotes, or -1. */
    private static int detail(String sentence) {
        int depth = 0;
        boolean code = false;
        for (int i = 0; i + 1 < sentence.length(); i++) {
            char c = sentence.charAt(i);
            if (c == '`') {
                code = !code;
            } else if (!code && c == '(') {
                depth++;
            } else if (!code && c == ')') {
                depth--;
            } else if (!code && depth == 0 && (c == ':' || c == ';') && sentence.charAt(i + 1) == ' ') {
                return i;
            }
        }
        return -1;
    }

    /** {@code x} as `x`; {@link A#b label} as its label, {@link A#b} as `A.b`, {@link #b} as `b`. */
    private static String code(String tag, String inner) {
        String text = inner.strip();
        if (tag.equals("code") || tag.equals("literal")) {
            return "`" + text + "`";
        }
        int space = text.indexOf(' ');
        if (space > 0) {
            return text.substring(space + 1).strip();
        }
        return "`" + text.replaceFirst("^#", "").replace('#', '.') + "`";
    }
}
