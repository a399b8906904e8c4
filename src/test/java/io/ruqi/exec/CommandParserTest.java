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
  @ValueSource(strings = {"http://127.0.0.1/a;b", "https://127.0.0.1/x;a=1?b=2#{\"k\":\"a;b|c\"}", "/demo;x#{}"})
  void urls_and_paths_may_hold_them(String cmd) {
    assertTrue(!(CommandParser.parse(cmd) instanceof Command.Process), cmd);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sh -c 'echo hi'"})
  void the_argument_of_sh_c_is_one_word(String cmd) {
    assertEquals(List.of("sh", "-c", "echo hi"), ((Command.Process) CommandParser.parse(cmd)).argv());
  }

  @ParameterizedTest
  @ValueSource(strings = {"GET http://127.0.0.1/a?x=1", "HEAD https://127.0.0.1/", "DELETE http://127.0.0.1/r/1",
      "PUT http://127.0.0.1/r#{\"a\":1}", "PATCH http://127.0.0.1/r", "POST http://127.0.0.1/r#[1]",
      "GET   HTTPS://127.0.0.1/x"})
  void a_method_before_a_url_is_an_http_request_with_that_method(String cmd) {
    Command.Http http = (Command.Http) CommandParser.parse(cmd);
    assertEquals(cmd.substring(0, cmd.indexOf(' ')), http.method());
    assertTrue(http.url().toLowerCase().startsWith("http"), http.url());
    assertEquals(http.method().equals("GET") || http.method().equals("HEAD") || http.method().equals("DELETE"),
        http.body() == null, "a body exactly where the method takes one");
  }

  @org.junit.jupiter.api.Test
  void ruqis_url_hash_json_is_still_a_post_of_the_json() {
    Command.Http http = (Command.Http) CommandParser.parse("https://127.0.0.1/p#{\"a\":\"#1\"}");
    assertEquals("POST", http.method());
    assertEquals(new io.vertx.core.json.JsonObject().put("a", "#1"), http.body());
    assertEquals(new io.vertx.core.json.JsonObject(), ((Command.Http) CommandParser.parse("PUT http://127.0.0.1/p"))
        .body(), "a method that takes a body sends {} without one, as RuQi's POST");
  }

  @ParameterizedTest
  @ValueSource(strings = {"GET http://127.0.0.1/a#{\"x\":1}", "DELETE http://127.0.0.1/a#frag",
      "GET http://127.0.0.1/a b", "GET http:///nohost"})
  void a_method_command_that_cannot_be_sent_as_written_is_refused(String cmd) {
    assertThrows(CommandException.class, () -> CommandParser.parse(cmd));
  }

  @ParameterizedTest
  @ValueSource(strings = {"get http://127.0.0.1/a", "GETX http://127.0.0.1/a", "GET ftp://127.0.0.1/a"})
  void anything_else_is_a_program_as_before(String cmd) {
    assertTrue(CommandParser.parse(cmd) instanceof Command.Process, cmd);
  }
}
