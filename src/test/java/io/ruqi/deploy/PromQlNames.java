package io.ruqi.deploy;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression reads. promtool 2.42 (Debian 12's) has no command that prints a parsed
 * query, so this takes out what is not a name, in PromQL's own terms, and keeps the identifiers left that are not
 * called (a function or an aggregation with its arguments) and are not keywords: strings (label values, Grafana's
 * {@code $instance} in them), label matchers in braces, ranges and subqueries in brackets, the label lists of
 * {@code by}, {@code without}, {@code on}, {@code ignoring} and {@code group_left/right}, and offsets.
 */
final class PromQlNames {
  private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
  private static final Pattern BRACES = Pattern.compile("\\{[^{}]*}");
  private static final Pattern BRACKETS = Pattern.compile("\\[[^\\[\\]]*]");
  private static final Pattern LABEL_LIST =
      Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^()]*\\)");
  private static final Pattern OFFSET = Pattern.compile("\\boffset\\s+-?[0-9a-z]+|@\\s*[0-9.]+");
  /** An identifier that does not continue a number ({@code 1e3}), a Grafana variable or another word. */
  private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.:$])[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "by", "without", "on",
      "ignoring", "group_left", "group_right", "offset", "inf", "nan", "sum", "min", "max", "avg", "group",
      "stddev", "stdvar", "count", "count_values", "bottomk", "topk", "quantile");

  private PromQlNames() {
  }

  static Set<String> of(String expr) {
    String s = STRING.matcher(expr).replaceAll("\"\"");
    s = BRACES.matcher(s).replaceAll("{}");
    s = BRACKETS.matcher(s).replaceAll("[]");
    s = LABEL_LIST.matcher(s).replaceAll("$1");
    s = OFFSET.matcher(s).replaceAll(" ");
    Set<String> names = new LinkedHashSet<>();
    Matcher m = IDENTIFIER.matcher(s);
    while (m.find()) {
      String word = m.group();
      if (!KEYWORDS.contains(word.toLowerCase()) && !calledAt(s, m.end())) {
        names.add(word);
      }
    }
    return names;
  }

  /** Grafana's {@code label_values(selector, label)}: the names of its selector. */
  static Set<String> ofGrafanaQuery(String query) {
    Matcher m = Pattern.compile("^\\s*label_values\\((.*),\\s*\\w+\\s*\\)\\s*$").matcher(query);
    return of(m.matches() ? m.group(1) : query);
  }

  private static boolean calledAt(String s, int end) {
    int i = end;
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    return i < s.length() && s.charAt(i) == '(';
  }
}
