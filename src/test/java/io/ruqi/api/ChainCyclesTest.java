package io.ruqi.api;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ChainCyclesTest {
  @Test
  void only_the_jobs_that_a_path_leads_back_to_are_on_a_cycle() {
    Map<String, List<String>> links = Map.of(
        "tail", List.of("a"), "a", List.of("b"), "b", List.of("c", "gone"), "c", List.of("a"),
        "self", List.of("self"), "x", List.of("y"), "y", List.of());
    assertEquals(Set.of("a", "b", "c", "self"), ChainCycles.among(List.of("tail", "self", "x", "y"),
        job -> links.getOrDefault(job, List.of())));
  }

  @Test
  void a_link_into_a_component_already_finished_is_no_cycle() {
    Map<String, List<String>> links = Map.of("p", List.of("q", "r"), "q", List.of(), "r", List.of("q"));
    assertEquals(Set.of(), ChainCycles.among(List.of("p"), job -> links.getOrDefault(job, List.of())));
  }

  @Test
  void a_chain_of_a_hundred_thousand_jobs_does_not_deepen_the_stack() {
    int n = 100_000;
    assertEquals(n, ChainCycles.among(List.of("0"), job -> List.of(Integer.toString((Integer.parseInt(job) + 1) % n)))
        .size());
    assertEquals(Set.of(), ChainCycles.among(List.of("0"), job -> Integer.parseInt(job) + 1 < n
        ? List.of(Integer.toString(Integer.parseInt(job) + 1)) : List.of()));
  }
}
