package io.ruqi.exec;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cmd grammar: what is a program, a URL, a path or an address, and what is refused when a job is added. */
class CommandParserTest {

  @ParameterizedTest
  @ValueSource(strings = {"bash a.sh;b", "a.sh;", "bash a.sh ;b", "a||b", "bash x.sh||true", "a&&b", "bash a.sh&&b",
      "ls|wc", "python x.py>log", "python x.py 2>err", "sort<in", "echo `id`", "echo a$(id)", "echo $(id)"})
  void a_shell_operator_glued_to_a_word_is_refused_as_ruqi_refused_it(String cmd) {
    CommandException e = assertThrows(CommandException.class, () -> CommandParser.parse(cmd));
    assertTrue(e.getMessage().contains("shell operator"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"sh -c 'a.sh; b || c'", "echo 'a;b'", "echo \"a|b\"", "echo a\\;b", "grep -E 'x|y' f",
      "curl http://127.0.0.1/?a=1&b=2", "echo 'x>y'"})
  void a_quoted_or_escaped_operator_is_an_argument_like_any_other(String cmd) {
    assertTrue(CommandParser.parse(cmd) instanceof Command.Process, cmd);
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://127.0.0.1/a;b", "https://127.0.0.1/x?a=1|2#{\"k\":\"a;b\"}", "/demo;x#{}"})
  void urls_and_paths_may_hold_them(String cmd) {
    assertTrue(!(CommandParser.parse(cmd) instanceof Command.Process), cmd);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sh -c 'echo hi'"})
  void the_argument_of_sh_c_is_one_word(String cmd) {
    assertEquals(List.of("sh", "-c", "echo hi"), ((Command.Process) CommandParser.parse(cmd)).argv());
  }
}
