package io.ruqi.deploy;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The names PromQL expressions read, as the rules and the dashboard write them. */
class PromQlNamesTest {

  @Test
  void a_selector_with_matchers_and_a_range_is_its_metric() {
    assertEquals(Set.of("ruqi_fires_total"),
        PromQlNames.of("increase(ruqi_fires_total{status=\"missed\", instance=~\"$instance\"}[10m]) > 0"));
  }

  @Test
  void aggregations_functions_grouping_labels_and_numbers_are_not_names() {
    assertEquals(Set.of("ruqi_fire_lateness_seconds_bucket"), PromQlNames.of(
        "histogram_quantile(0.99, sum by (job, instance, le) (rate(ruqi_fire_lateness_seconds_bucket[5m]))) > 1e3"));
    assertEquals(Set.of("ruqi_failure_streak_max"),
        PromQlNames.of("max without (instance) (ruqi_failure_streak_max) >= 3"));
  }

  @Test
  void both_sides_of_an_operator_and_bare_names_count() {
    assertEquals(Set.of("ruqi_history_queue", "ruqi_history_dropped_total", "up"), PromQlNames.of(
        "ruqi_history_queue > 1000 and on (instance) deriv(ruqi_history_queue[10m:1m]) > 0"
            + " or ruqi_history_dropped_total offset 5m unless up == bool 0"));
    assertEquals(Set.of("a_sum", "a_count"), PromQlNames.of("rate(a_sum[$__rate_interval]) / rate(a_count[1m])"));
  }

  @Test
  void label_values_names_its_selector_not_its_label() {
    assertEquals(Set.of("ruqi_fires_total"),
        PromQlNames.ofGrafanaQuery("label_values(ruqi_fires_total{job=\"ruqi\"}, instance)"));
  }

  @Test
  void a_dashboard_that_names_a_missing_metric_is_caught() {
    String dashboard = "{\"panels\":[{\"targets\":[{\"expr\":\"sum(rate(ruqi_fires_totl[5m]))\"}]},"
        + "{\"panels\":[{\"targets\":[{\"expr\":\"ruqi_history_queue\"}]}]}]}";
    assertEquals(List.of("ruqi_fires_totl"), DeployFilesTest.missing(DeployFilesTest.dashboardNames(
        new io.vertx.core.json.JsonObject(dashboard)), Set.of("ruqi_fires_total", "ruqi_history_queue")));
  }
}
