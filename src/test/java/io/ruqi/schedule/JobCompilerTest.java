package io.ruqi.schedule;

import io.ruqi.config.JobDefaults;
import io.ruqi.config.PolicySettings;
import io.ruqi.exec.Command;
import io.ruqi.exec.CommandException;
import io.ruqi.exec.CommandPolicy;
import io.ruqi.store.Job;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JobCompilerTest {
  static final Instant T = Instant.parse("2026-11-21T12:00:00Z");
  static final CommandPolicy ONLY_TRUE = new CommandPolicy(new PolicySettings(List.of("true"), List.of()));

  final JobCompiler compiler = new JobCompiler(ONLY_TRUE, JobDefaults.ruqi());

  static Job job(String cmd, String rule, JsonObject options, long version) {
    return new Job("j", "n", "interval", rule, cmd, ZoneOffset.UTC, null, null, T, T.plusSeconds(10), false, options,
        version, T, T);
  }

  @Test
  void a_claim_that_bumps_the_version_reuses_the_build_and_an_edit_builds_anew() {
    Job job = job("true", "10s", new JsonObject().put("jitter", 2), 1);
    CompiledJob first = compiler.of(job);
    assertSame(first, compiler.of(job.claimed(T.plusSeconds(20), T.plusSeconds(10))), "only the version moved on");
    assertEquals(Duration.ofSeconds(2), first.policy().jitter());
    CompiledJob edited = compiler.of(job("true", "10s", new JsonObject().put("jitter", 3), 3));
    assertNotSame(first, edited);
    assertEquals(Duration.ofSeconds(3), edited.policy().jitter());
    assertEquals(List.of(T.plusSeconds(20)), Triggers.nextTimes(compiler.of(job("true", "20s", new JsonObject(), 4))
        .trigger(), T, 1), "a new rule, a new trigger");
  }

  @Test
  void a_cmd_that_cannot_run_here_fails_as_the_api_refuses_it_and_still_has_its_policies() {
    CompiledJob refused = compiler.of(job("rm -rf x", "10s", new JsonObject(), 1));
    CommandException e = assertThrows(CommandException.class, refused::command);
    CommandException api = assertThrows(CommandException.class, () -> JobCompiler.command("rm -rf x", ONLY_TRUE));
    assertEquals(api.getMessage(), e.getMessage());
    assertEquals(Duration.ofHours(1), refused.policy().timeout(), "a program's timeout");
    CompiledJob unparsable = compiler.of(job("echo 'open", "10s", new JsonObject(), 2));
    assertThrows(CommandException.class, unparsable::command);
    assertEquals(Duration.ofHours(1), unparsable.policy().timeout(), "counted as a program");
    CompiledJob http = compiler.of(job("http://127.0.0.1/x", "10s", new JsonObject(), 3));
    assertEquals(new Command.Http("http://127.0.0.1/x", new JsonObject()), http.command());
    assertEquals(Duration.ofSeconds(90), http.policy().timeout());
  }

  @Test
  void a_rule_that_no_longer_builds_fails_when_its_fire_is_planned() {
    CompiledJob bad = compiler.of(job("true", "every now and then", new JsonObject(), 1));
    assertThrows(RuleException.class, bad::trigger);
    assertEquals(Duration.ofSeconds(30), bad.policy().grace());
  }

  @Test
  void a_policy_check_that_throws_fails_that_jobs_runs_not_the_compiler() {
    // a glob the configuration would refuse (RuqiConfig checks it), reaching the policy by another way
    JobCompiler broken = new JobCompiler(new CommandPolicy(new PolicySettings(List.of("/opt/{a,b"), List.of())),
        JobDefaults.ruqi());
    CompiledJob job = broken.of(job("/opt/x/run a", "10s", new JsonObject(), 1));
    CommandException e = assertThrows(CommandException.class, job::command);
    assertTrue(e.getMessage().contains("policy"), e.getMessage());
    assertEquals(List.of(T.plusSeconds(10)), Triggers.nextTimes(job.trigger(), T, 1), "its trigger still builds");
  }
}
