package io.ruqi.exec;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Routes a {@code cmd} by its form, as RuQi did, but validates every form when the job is added:
 * <ul>
 *   <li>{@code http://…} / {@code https://…}, optionally {@code #<json>}: an HTTP POST;</li>
 *   <li>{@code GET http://…} (HEAD, DELETE): that request, without a body; {@code PUT http://…#<json>} (PATCH, POST):
 *       that request with the JSON, as RuQi's form sends it with POST;</li>
 *   <li>{@code eventbus:<address>}, optionally {@code #<json>}: an event-bus request;</li>
 *   <li>{@code /<path>}, optionally {@code #<json>}, with no blank before the {@code #}: a POST to this service;</li>
 *   <li>anything else: a program and its arguments, split like a shell splits words, run without a shell.</li>
 * </ul>
 * Only the first {@code #} splits, so the JSON may itself contain {@code #}.
 */
public final class CommandParser {

  public static final String EVENT_BUS_PREFIX = "eventbus:";
  /**
   * An upper-case method and an http(s) URL: schedule-server's jobs are plain GETs of a URL. Upper case only, as in
   * HTTP itself, so that a program called {@code get} stays a program; RuQi ran no program but bash and python.
   */
  private static final Pattern METHOD_AND_URL = Pattern.compile(
      "(GET|HEAD|DELETE|POST|PUT|PATCH)\\s+((?i:https?)://.*)", Pattern.DOTALL);
  private static final Set<String> WITHOUT_BODY = Set.of("GET", "HEAD", "DELETE");

  private static final Set<String> SHELL_OPERATORS = Set.of(";", "&&", "||", "|", "&", ">", ">>", "<", "2>", "2>&1");
  /**
   * Operators a shell reads inside a word too. A lone {@code &} is not among them: it is common in URLs passed to
   * curl and RuQi let it through (it refused {@code ;}, {@code &&} and {@code ||}).
   */
  private static final List<String> GLUED_OPERATORS = List.of(";", "&&", "|", ">", "<", "`", "$(");

  private CommandParser() {
  }

  public static Command parse(String cmd) {
    if (cmd == null || cmd.isBlank()) {
      throw new CommandException("cmd is empty");
    }
    if (cmd.indexOf('\0') >= 0) {
      throw new CommandException("cmd contains a NUL character, which no program, argument or URL can hold");
    }
    String text = cmd.strip();
    String lower = text.toLowerCase(Locale.ROOT);
    if (lower.startsWith("http://") || lower.startsWith("https://")) {
      String url = before(text);
      checkUrl(url);
      return new Command.Http(url, body(text));
    }
    Matcher withMethod = METHOD_AND_URL.matcher(text);
    if (withMethod.matches()) {
      return http(withMethod.group(1), withMethod.group(2).strip());
    }
    if (lower.startsWith(EVENT_BUS_PREFIX)) {
      String address = before(text).substring(EVENT_BUS_PREFIX.length()).strip();
      if (address.isEmpty() || address.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
        throw new CommandException("eventbus: needs an address without blanks, e.g. eventbus:reports.daily");
      }
      return new Command.EventBus(address, body(text));
    }
    if (text.startsWith("/") && before(text).chars().noneMatch(Character::isWhitespace)) {
      refuseControlCharacters("the path", before(text));
      return new Command.LocalPath(before(text), body(text));
    }
    List<String> argv = argv(text);
    // arguments may hold line breaks (sh -c 'a\nb'); a program name with one is a forged log line, not a program
    refuseControlCharacters("the program name", argv.get(0));
    return new Command.Process(argv);
  }

  private static Command.Http http(String method, String text) {
    String url = before(text);
    if (url.chars().anyMatch(Character::isWhitespace)) {
      throw new CommandException(method + " takes one URL, without blanks (escape a blank as %20): "
          + shorten(url));
    }
    checkUrl(url);
    if (WITHOUT_BODY.contains(method)) {
      if (text.indexOf('#') >= 0) {
        throw new CommandException("a " + method + " sends no body, so nothing may follow '#' (put parameters in"
            + " the query string): " + shorten(text));
      }
      return new Command.Http(method, url, null);
    }
    return new Command.Http(method, url, body(text));
  }

  private static void refuseControlCharacters(String what, String text) {
    text.chars().filter(Character::isISOControl).findFirst().ifPresent(c -> {
      throw new CommandException(what + " contains a control character (" + String.format("U+%04X", c) + ")");
    });
  }

  private static String before(String text) {
    int hash = text.indexOf('#');
    return hash < 0 ? text : text.substring(0, hash);
  }

  private static Object body(String text) {
    int hash = text.indexOf('#');
    if (hash < 0) {
      return Command.emptyBody();
    }
    String json = text.substring(hash + 1).strip();
    if (json.isEmpty()) {
      return Command.emptyBody();
    }
    try {
      return Json.decodeValue(json);
    } catch (DecodeException e) {
      throw new CommandException("the text after '#' is not valid JSON: " + shorten(json));
    }
  }

  private static void checkUrl(String url) {
    try {
      URI uri = new URI(url);
      if (uri.getHost() == null || uri.getHost().isEmpty()) {
        throw new CommandException("the URL has no host: " + shorten(url));
      }
    } catch (URISyntaxException e) {
      throw new CommandException("not a valid URL: " + shorten(url) + " (" + e.getReason() + ")");
    }
  }

  private static List<String> argv(String text) {
    ShellWords.Split split = ShellWords.split(text);
    for (String word : split.unquotedWords()) {
      if (SHELL_OPERATORS.contains(word)) {
        throw new CommandException("'" + word + "' is a shell operator, and commands run without a shell;"
            + " write sh -c '...' to use one");
      }
    }
    // glued to a word (a.sh;b, a||b, x.py>log) a shell would still read them: RuQi refused any ; && ||
    for (String part : split.unquotedParts()) {
      for (String operator : GLUED_OPERATORS) {
        if (part.contains(operator)) {
          throw new CommandException("'" + operator + "' in '" + shorten(part) + "' is a shell operator, and"
              + " commands run without a shell; write sh -c '...' to use one (or quote it to pass it on as it is)");
        }
      }
    }
    return split.words();
  }

  static String shorten(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
