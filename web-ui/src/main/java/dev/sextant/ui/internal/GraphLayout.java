package dev.sextant.ui.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A layered (Sugiyama-style) layout of a directed graph: cycles are broken by ignoring the edges
 * that close them (depth-first back edges), each node goes to the layer after its deepest caller
 * (longest path from the entry points), an edge spanning several layers gets a virtual node in
 * each layer it crosses (so it is routed around the nodes there, not through them), and nodes
 * within a layer are ordered by the mean position of their neighbours in the previous and next
 * layers (barycenter sweeps), which removes most crossings on the graphs services make.
 */
final class GraphLayout {
  private static final int SWEEPS = 4;

  /**
   * Node {@code i} sits in {@code layer[i]} at {@code order[i]} within it; nodes from {@code n} on
   * are virtual. {@code chain[e]} lists the virtual nodes edge {@code e} passes, caller side first
   * (empty for edges between adjacent layers and for back edges).
   */
  record Result(int[] layer, int[] order, int layers, int maxPerLayer, boolean[] backEdge,
      int[][] chain) {}

  private GraphLayout() {}

  /**
   * Lays out {@code n} nodes joined by {@code edges} ({@code from, to} pairs). Self loops are
   * back edges.
   */
  static Result layout(int n, List<int[]> edges) {
    List<List<Integer>> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new ArrayList<>());
    }
    for (int e = 0; e < edges.size(); e++) {
      out.get(edges.get(e)[0]).add(e);
    }
    boolean[] back = backEdges(n, edges, out);
    int[] layer = new int[n];
    // Longest path over the acyclic remainder: relax in topological order (Kahn).
    int[] indeg = new int[n];
    for (int e = 0; e < edges.size(); e++) {
      if (!back[e]) {
        indeg[edges.get(e)[1]]++;
      }
    }
    ArrayList<Integer> queue = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (indeg[i] == 0) {
        queue.add(i);
      }
    }
    for (int q = 0; q < queue.size(); q++) {
      int u = queue.get(q);
      for (int e : out.get(u)) {
        if (back[e]) {
          continue;
        }
        int v = edges.get(e)[1];
        layer[v] = Math.max(layer[v], layer[u] + 1);
        if (--indeg[v] == 0) {
          queue.add(v);
        }
      }
    }
    int layers = 0;
    for (int l : layer) {
      layers = Math.max(layers, l + 1);
    }
    // Split long edges into unit segments through virtual nodes; ordering uses the segments.
    List<Integer> layerOf = new ArrayList<>();
    for (int l : layer) {
      layerOf.add(l);
    }
    List<int[]> segments = new ArrayList<>();
    int[][] chain = new int[edges.size()][];
    for (int e = 0; e < edges.size(); e++) {
      int from = edges.get(e)[0];
      int to = edges.get(e)[1];
      int span = back[e] ? 0 : layer[to] - layer[from];
      chain[e] = new int[Math.max(0, span - 1)];
      int prev = from;
      for (int k = 0; k < chain[e].length; k++) {
        int v = layerOf.size();
        layerOf.add(layer[from] + k + 1);
        chain[e][k] = v;
        segments.add(new int[] {prev, v});
        prev = v;
      }
      if (!back[e]) {
        segments.add(new int[] {prev, to});
      }
    }
    int total = layerOf.size();
    int[] all = new int[total];
    for (int i = 0; i < total; i++) {
      all[i] = layerOf.get(i);
    }
    List<List<Integer>> byLayer = new ArrayList<>();
    for (int l = 0; l < layers; l++) {
      byLayer.add(new ArrayList<>());
    }
    for (int i = 0; i < total; i++) {
      byLayer.get(all[i]).add(i);
    }
    int[] order = new int[total];
    reindex(byLayer, order);
    boolean[] none = new boolean[segments.size()];
    for (int s = 0; s < SWEEPS; s++) {
      for (int l = 1; l < layers; l++) {
        sortByBarycenter(byLayer.get(l), segments, none, order, true);
        reindex(byLayer, order);
      }
      for (int l = layers - 2; l >= 0; l--) {
        sortByBarycenter(byLayer.get(l), segments, none, order, false);
        reindex(byLayer, order);
      }
    }
    int max = 0;
    for (List<Integer> l : byLayer) {
      max = Math.max(max, l.size());
    }
    return new Result(all, order, layers, max, back, chain);
  }

  private static boolean[] backEdges(int n, List<int[]> edges, List<List<Integer>> out) {
    boolean[] back = new boolean[edges.size()];
    int[] state = new int[n]; // 0 new, 1 on the stack, 2 done
    for (int root = 0; root < n; root++) {
      if (state[root] != 0) {
        continue;
      }
      // Iterative DFS: frames of (node, next edge index).
      ArrayList<int[]> stack = new ArrayList<>();
      stack.add(new int[] {root, 0});
      state[root] = 1;
      while (!stack.isEmpty()) {
        int[] f = stack.get(stack.size() - 1);
        List<Integer> es = out.get(f[0]);
        if (f[1] == es.size()) {
          state[f[0]] = 2;
          stack.remove(stack.size() - 1);
          continue;
        }
        int e = es.get(f[1]++);
        int v = edges.get(e)[1];
        if (state[v] == 1) {
          back[e] = true;
        } else if (state[v] == 0) {
          state[v] = 1;
          stack.add(new int[] {v, 0});
        }
      }
    }
    return back;
  }

  private static void sortByBarycenter(List<Integer> nodes, List<int[]> edges, boolean[] back,
      int[] order, boolean fromPrevious) {
    Map<Integer, Double> bary = new HashMap<>();
    for (int v : nodes) {
      double sum = 0;
      int cnt = 0;
      for (int e = 0; e < edges.size(); e++) {
        if (back[e]) {
          continue;
        }
        int[] ed = edges.get(e);
        int self = fromPrevious ? ed[1] : ed[0];
        int other = fromPrevious ? ed[0] : ed[1];
        if (self == v) {
          sum += order[other];
          cnt++;
        }
      }
      bary.put(v, cnt == 0 ? order[v] : sum / cnt);
    }
    Integer[] arr = nodes.toArray(new Integer[0]);
    Arrays.sort(arr, (a, b) -> Double.compare(bary.get(a), bary.get(b)));
    nodes.clear();
    nodes.addAll(Arrays.asList(arr));
  }

  private static void reindex(List<List<Integer>> byLayer, int[] order) {
    for (List<Integer> l : byLayer) {
      for (int i = 0; i < l.size(); i++) {
        order[l.get(i)] = i;
      }
    }
  }
}
