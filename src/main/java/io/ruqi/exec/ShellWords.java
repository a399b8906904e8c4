package io.ruqi.exec;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command line into words as a POSIX shell would (single quotes, double quotes, backslash escapes), and
 * nothing more: no variables, globs or operators are interpreted.
 */
final class ShellWords {

  /**
   * The words, those of them that had no quoting at all (only those can be shell operators), and the unquoted
   * stretches of every word (where a shell would read an operator glued to a word, as in {@code a.sh;b}).
   */
  record Split(List<String> words, List<String> unquotedWords, List<String> unquotedParts) {
  }

  private ShellWords() {
  }

  static Split split(String line) {
    List<String> words = new ArrayList<>();
    List<String> unquoted = new ArrayList<>();
    List<String> parts = new ArrayList<>();
    StringBuilder part = new StringBuilder();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    boolean quotedPart = false;
    int i = 0;
    while (i < line.length()) {
      char c = line.charAt(i);
      if (Character.isWhitespace(c) || c == '\'' || c == '"' || c == '\\') {
        endPart(parts, part);
      }
      if (Character.isWhitespace(c)) {
        if (inWord) {
          finish(words, unquoted, word, quotedPart);
          inWord = false;
          quotedPart = false;
        }
        i++;
      } else if (c == '\'') {
        int end = line.indexOf('\'', i + 1);
        if (end < 0) {
          throw new CommandException("unbalanced single quote in cmd");
        }
        word.append(line, i + 1, end);
        inWord = true;
        quotedPart = true;
        i = end + 1;
      } else if (c == '"') {
        i = doubleQuoted(line, i + 1, word);
        inWord = true;
        quotedPart = true;
      } else if (c == '\\') {
        if (i + 1 >= line.length()) {
          throw new CommandException("cmd ends with a lone backslash");
        }
        word.append(line.charAt(i + 1));
        inWord = true;
        quotedPart = true;
        i += 2;
      } else {
        word.append(c);
        part.append(c);
        inWord = true;
        i++;
      }
    }
    endPart(parts, part);
    if (inWord) {
      finish(words, unquoted, word, quotedPart);
    }
    if (words.isEmpty()) {
      throw new CommandException("cmd is empty");
    }
    return new Split(List.copyOf(words), List.copyOf(unquoted), List.copyOf(parts));
  }

  private static void endPart(List<String> parts, StringBuilder part) {
    if (part.length() > 0) {
      parts.add(part.toString());
      part.setLength(0);
    }
  }

  /** Inside double quotes a backslash escapes only {@code " \ $ `}, as in sh. Returns the index after the quote. */
  private static int doubleQuoted(String line, int from, StringBuilder word) {
    int i = from;
    while (i < line.length()) {
      char c = line.charAt(i);
      if (c == '"') {
        return i + 1;
      }
      if (c == '\\' && i + 1 < line.length() && "\"\\$`".indexOf(line.charAt(i + 1)) >= 0) {
        word.append(line.charAt(i + 1));
        i += 2;
      } else {
        word.append(c);
        i++;
      }
    }
    throw new CommandException("unbalanced double quote in cmd");
  }

  private static void finish(List<String> words, List<String> unquoted, StringBuilder word, boolean quoted) {
    String w = word.toString();
    words.add(w);
    if (!quoted) {
      unquoted.add(w);
    }
    word.setLength(0);
  }
}
