package io.ruqi.schedule;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line {@code RULE CMD}, e.g. {@code 1d python scripts/clean.py}, {@code now bash x.sh},
 * {@code 2026-12-01 08:00:00 bash x.sh} or {@code 0 20 2 * * * bash scripts/a.sh}.
 *
 * <p>The rule kind is decided by shape only; the rule itself is validated later by {@link Triggers#parse}.
 */
public record LineRule(String type, String rule, String cmd) {

  private static final Pattern TOKEN = Pattern.compile("\\S+");
  private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{1,2}-\\d{1,2}");
  private static final Pattern DATE_WITH_T = Pattern.compile("\\d{4}-\\d{1,2}-\\d{1,2}T\\d{1,2}:\\d{1,2}:\\d{1,2}(\\.\\d{1,6})?");
  private static final Pattern TIME = Pattern.compile("\\d{1,2}:\\d{1,2}:\\d{1,2}(\\.\\d{1,6})?");
  private static final Pattern ALMOST_TIME = Pattern.compile("\\d{1,2}:[\\d:.]*");
  private static final Pattern INTERVAL = Pattern.compile("(?:\\d+[smhdSMHD])+");
  /**
   * Digits, cron punctuation, L/W, month or weekday names and APScheduler's {@code last}: a token that can only be
   * a cron field; APScheduler's {@code 2nd fri} is two tokens and one field.
   */
  private static final Pattern CRON_FIELD = Pattern.compile(
      "(?i)(?:[0-9*?/,#\\-LW]|last|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun)+");
  private static final int CRON_FIELDS = 6;
  /** Words before the program a job is named after: interpreters, wrappers, and the method of an HTTP command. */
  private static final Set<String> INTERPRETERS = Set.of(
      "python", "python2", "python3", "bash", "sh", "zsh", "node", "perl", "ruby", "php", "env", "sudo", "nohup",
      "timeout", "java", "get", "head", "delete", "post", "put", "patch");
  private static final int MAX_ID = 255;

  /** @throws RuleException with field {@code line} when the rule kind cannot be told or no command follows it */
  public static LineRule parse(String line) {
    if (line == null || line.isBlank()) {
      throw new RuleException("line", "line is empty; expected RULE CMD, e.g. '1d python scripts/clean.py'");
    }
    Matcher tokens = TOKEN.matcher(line);
    tokens.find();
    String first = tokens.group();
    if (first.equalsIgnoreCase("now")) {
      return withCommand("date", "now", line, tokens.end());
    }
    if (INTERVAL.matcher(first).matches()) {
      return withCommand("interval", first, line, tokens.end());
    }
    if (DATE_WITH_T.matcher(first).matches()) {
      return withCommand("date", first, line, tokens.end());
    }
    if (DATE.matcher(first).matches()) {
      int dateEnd = tokens.end();
      String second = tokens.find() ? tokens.group() : "";
      if (TIME.matcher(second).matches()) {
        return withCommand("date", first + " " + second, line, tokens.end());
      }
      if (ALMOST_TIME.matcher(second).matches()) {
        // otherwise "2026-12-01 08:00 bash x.sh" would run "08:00 bash x.sh" at midnight
        throw new RuleException("line", "time '" + second + "' after " + first + " must be HH:MM:SS");
      }
      return withCommand("date", first, line, dateEnd);
    }
    return cronLine(line);
  }

  private static LineRule cronLine(String line) {
    Matcher tokens = TOKEN.matcher(line);
    StringBuilder rule = new StringBuilder();
    int end = 0;
    for (int i = 0; i < CRON_FIELDS; i++) {
      if (!tokens.find(end) || !isCronField(tokens.group())) {
        throw new RuleException("line", "cannot tell the rule in '" + line.trim() + "': start the line with an"
            + " interval (10m), a date (2026-12-01 08:00:00), now, or six cron fields (0 20 2 * * *)");
      }
      rule.append(i == 0 ? "" : " ").append(tokens.group());
      end = tokens.end();
      if (CronText.POSITION.matcher(tokens.group()).matches() && tokens.find(end)
          && CronText.WEEKDAY_NAME.matcher(tokens.group()).matches()) {
        rule.append(' ').append(tokens.group()); // 2nd fri: one field of two words
        end = tokens.end();
      }
    }
    return withCommand("cron", rule.toString(), line, end);
  }

  private static boolean isCronField(String token) {
    return CRON_FIELD.matcher(token).matches() || CronText.POSITION.matcher(token).matches();
  }

  private static LineRule withCommand(String type, String rule, String line, int ruleEnd) {
    String cmd = line.substring(ruleEnd).trim();
    if (cmd.isEmpty()) {
      throw new RuleException("line", "no command after the " + type + " rule '" + rule + "'");
    }
    return new LineRule(type, rule, cmd);
  }

  /**
   * A readable id that is the same for the same line: the program's file name (skipping interpreters such as
   * {@code python} or {@code bash}) plus 8 hex digits of SHA-256 over {@code type|rule|cmd}, e.g.
   * {@code clean.py-1a2b3c4d}. Only {@code [A-Za-z0-9._-]}, at most 255 characters.
   */
  public static String deriveJobId(LineRule r) {
    String program = safeName(programName(r.cmd()));
    String hash = sha256Hex(r.type() + "|" + r.rule() + "|" + r.cmd()).substring(0, 8);
    int room = MAX_ID - hash.length() - 1;
    return (program.length() > room ? program.substring(0, room) : program) + "-" + hash;
  }

  private static String programName(String cmd) {
    for (String token : cmd.trim().split("\\s+")) {
      String base = baseName(token);
      boolean option = token.startsWith("-");
      if (!option && !base.isEmpty() && !INTERPRETERS.contains(base.toLowerCase(Locale.ROOT))) {
        return base;
      }
    }
    return "job";
  }

  /** Last path segment, ignoring a URL's or queue command's {@code #data} and {@code ?query}. */
  private static String baseName(String token) {
    String path = token.replaceFirst("[#?].*$", "").replaceFirst("/+$", "");
    return path.substring(path.lastIndexOf('/') + 1);
  }

  private static String safeName(String name) {
    String safe = name.replaceAll("[^A-Za-z0-9._-]", "_").replaceAll("^[.-]+", "");
    return safe.isEmpty() ? "job" : safe;
  }

  private static String sha256Hex(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
    }
  }
}
