package io.ruqi.client;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EventStreamReaderTest {
  private final List<JsonObject> events = new ArrayList<>();
  private final EventStreamReader reader = new EventStreamReader(events::add, 64);

  private void lines(String... lines) {
    for (String line : lines) {
      reader.line(line);
    }
  }

  @Test
  void an_event_is_its_data_lines_handed_on_at_the_blank_line() {
    lines(": ruqi events", "", "data: {\"event\":\"fire_started\"}");
    assertEquals(List.of(), events, "not before the blank line that ends it");
    lines("");
    assertEquals(List.of(new JsonObject().put("event", "fire_started")), events);
  }

  @Test
  void comments_other_fields_and_data_that_is_no_object_are_skipped() {
    lines(": keep-alive", "", "event: x", "id: 7", "", "data: [1,2]", "", "data: not json", "",
        "data:{\"a\":1}\r", "\r");
    assertEquals(List.of(new JsonObject().put("a", 1)), events);
  }

  @Test
  void data_lines_join_with_a_line_break() {
    lines("data: {\"a\":", "data: 2}", "");
    assertEquals(List.of(new JsonObject().put("a", 2)), events);
  }

  @Test
  void an_event_beyond_the_bound_ends_the_stream() {
    assertThrows(EventStreamReader.TooLarge.class, () -> lines("data: " + "x".repeat(40), "data: " + "y".repeat(40)));
  }
}
