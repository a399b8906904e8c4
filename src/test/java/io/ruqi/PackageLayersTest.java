package io.ruqi;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The packages' imports run one way, down these floors; a package may use any floor below its own, none on its own
 * floor or above (so no two packages can need each other). Read from the sources, not the classes: a constant
 * such as a bus address is copied into the class that uses it, and would hide its import from a bytecode reader.
 */
class PackageLayersTest {
  private static final Path MAIN = Path.of("src/main/java/io/ruqi");
  /** Top floor first; "" is the composition root ({@code Main}, {@code RuqiNode}). */
  private static final List<Set<String>> FLOORS = List.of(
      Set.of(""),
      Set.of("http", "migrate"),
      Set.of("openapi"),
      Set.of("api"),
      Set.of("schedule", "alert"),
      Set.of("worker"),
      Set.of("events"),
      Set.of("exec", "store", "cluster"),
      Set.of("config"),
      Set.of("auth", "progress"),
      Set.of("time"));
  private static final Pattern REFERENCE = Pattern.compile("\\bio\\.ruqi\\.([a-z][a-z0-9_]*)\\.");

  @Test
  void every_package_has_a_floor() throws IOException {
    Set<String> placed = FLOORS.stream().flatMap(Set::stream).collect(Collectors.toCollection(TreeSet::new));
    Set<String> packages = new TreeSet<>(uses().keySet());
    assertEquals(placed, packages, "a new package needs its floor in FLOORS");
  }

  @Test
  void imports_run_down_only() throws IOException {
    List<String> wrong = new ArrayList<>();
    uses().forEach((from, targets) -> targets.forEach((to, where) -> {
      if (floor(to) <= floor(from)) {
        wrong.add(name(from) + " -> " + name(to) + " (" + where + ")");
      }
    }));
    assertEquals(List.of(), wrong, "imports that run up or sideways (they make package cycles)");
  }

  private static String name(String pkg) {
    return pkg.isEmpty() ? "io.ruqi" : pkg;
  }

  private static int floor(String pkg) {
    for (int i = 0; i < FLOORS.size(); i++) {
      if (FLOORS.get(i).contains(pkg)) {
        return i;
      }
    }
    return -1;
  }

  /** For each package under io.ruqi: the packages it refers to, each with the first file that does. */
  private static Map<String, Map<String, String>> uses() throws IOException {
    Map<String, Map<String, String>> uses = new TreeMap<>();
    try (Stream<Path> files = Files.walk(MAIN)) {
      files.filter(f -> f.toString().endsWith(".java")).sorted().forEach(file -> {
        Path relative = MAIN.relativize(file);
        String from = relative.getNameCount() == 1 ? "" : relative.getName(0).toString();
        Map<String, String> targets = uses.computeIfAbsent(from, k -> new TreeMap<>());
        Matcher m = REFERENCE.matcher(read(file));
        while (m.find()) {
          String to = m.group(1);
          if (!to.equals(from) && Files.isDirectory(MAIN.resolve(to))) {
            targets.putIfAbsent(to, relative.toString());
          }
        }
      });
    }
    return uses;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
