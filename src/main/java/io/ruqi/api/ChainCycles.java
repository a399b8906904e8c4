package io.ruqi.api;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The jobs that lie on a cycle of chains, found once for a whole graph in time linear in its jobs and links
 * (Tarjan's strongly connected components, without recursion, so a chain of thousands never deepens the stack). An
 * import of thousands of jobs asks this once, instead of walking every job's chain, which costs the square.
 */
final class ChainCycles {
  private final Function<String, List<String>> children;
  private final Map<String, Integer> index = new HashMap<>();
  private final Map<String, Integer> low = new HashMap<>();
  private final Deque<String> stack = new ArrayDeque<>();
  private final Set<String> onStack = new HashSet<>();
  private final Set<String> onCycle = new HashSet<>();

  /** @param children the jobs each job chains to (empty for a job that is not there) */
  private ChainCycles(Function<String, List<String>> children) {
    this.children = children;
  }

  /** Every job reachable from {@code roots} that a path of chains leads back to (itself included). */
  static Set<String> among(List<String> roots, Function<String, List<String>> children) {
    ChainCycles search = new ChainCycles(children);
    roots.forEach(root -> {
      if (!search.index.containsKey(root)) {
        search.from(root);
      }
    });
    return search.onCycle;
  }

  /** One depth-first search, its path kept as frames of (job, its children, the next child to look at). */
  private void from(String root) {
    Deque<Object[]> frames = new ArrayDeque<>();
    enter(root, frames);
    while (!frames.isEmpty()) {
      Object[] frame = frames.peek();
      String job = (String) frame[0];
      @SuppressWarnings("unchecked")
      List<String> next = (List<String>) frame[1];
      int i = (Integer) frame[2];
      if (i < next.size()) {
        frame[2] = i + 1;
        String child = next.get(i);
        if (!index.containsKey(child)) {
          enter(child, frames);
        } else if (onStack.contains(child)) {
          low.put(job, Math.min(low.get(job), index.get(child)));
        }
        continue;
      }
      frames.pop();
      if (!frames.isEmpty()) {
        String parent = (String) frames.peek()[0];
        low.put(parent, Math.min(low.get(parent), low.get(job)));
      }
      if (low.get(job).equals(index.get(job))) {
        closeComponent(job, next.contains(job));
      }
    }
  }

  private void enter(String job, Deque<Object[]> frames) {
    index.put(job, index.size());
    low.put(job, index.get(job));
    stack.push(job);
    onStack.add(job);
    frames.push(new Object[] {job, children.apply(job), 0});
  }

  /** Pops the component rooted at {@code job}: on a cycle if it holds two jobs or more, or a job naming itself. */
  private void closeComponent(String job, boolean namesItself) {
    Set<String> component = new HashSet<>();
    String member;
    do {
      member = stack.pop();
      onStack.remove(member);
      component.add(member);
    } while (!member.equals(job));
    if (component.size() > 1 || namesItself) {
      onCycle.addAll(component);
    }
  }
}
