package dev.sextant.storage.metrics;

import static java.util.Objects.requireNonNull;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A regular expression supplied by a user (a PromQL matcher, {@code label_replace}, a silence,
 * route or inhibit matcher, a UI filter, a template's {@code match}/{@code reReplaceAll}), run
 * with RE2 semantics as Prometheus and Alertmanager do (Go's {@code regexp}): matching takes
 * time linear in the input, whatever the pattern, so no pattern can pin a core the way a
 * backtracking engine ({@code java.util.regex}) can with {@code (a|aa)*b}.
 *
 * <p>Refused with {@link InvalidRegexException}: syntax that is not RE2 (backreferences
 * {@code \1}, lookaround {@code (?=}, possessive {@code a++}), and expressions over these limits,
 * which keep compiling bounded too (RE2 bounds matching, not compiling;
 * {@code ((a{100}){100}){100}} is a million-instruction program):
 * <ul>
 *   <li>{@value #MAX_LENGTH} characters of expression;</li>
 *   <li>{@value #MAX_NESTING} levels of nested parentheses, {@value #MAX_HEIGHT} levels once
 *       {@code x{n,m}} is expanded;</li>
 *   <li>{@value #MAX_EMPTY_STEPS} empty steps (alternations, optionals, groups), which RE2J's
 *       matcher recurses through;</li>
 *   <li>{@value #MAX_PROGRAM_SIZE} compiled instructions (counted before compiling, with counted
 *       repetitions {@code x{n,m}} expanded, as RE2 does).</li>
 * </ul>
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class UserRegex {
  /** Longest expression accepted, in UTF-16 characters (16 KiB). */
  public static final int MAX_LENGTH = 16 * 1024;
  /** Deepest nesting of parentheses accepted (Go allows 1000; the compiler recurses per level). */
  public static final int MAX_NESTING = 100;
  /** Largest compiled program accepted, in RE2 instructions. */
  public static final int MAX_PROGRAM_SIZE = 32 * 1024;
  /**
   * Most empty steps (alternations, optionals, groups, anchors) accepted once repetitions are
   * expanded: RE2J's matcher recurses through a chain of them, about 120 bytes of stack each
   * ({@code (?:a?){4000}} overflows a 512 KiB thread stack while matching). 2000 leaves room
   * on any ordinary thread; an alternation of 2000 literals is still accepted.
   */
  public static final int MAX_EMPTY_STEPS = 2000;
  /** Deepest nesting accepted once {@code x{n,m}} is expanded (it nests m - n levels). */
  public static final int MAX_HEIGHT = 1000;
  /** Expressions nesting deeper than this are compiled on a thread with a large stack. */
  private static final int SHALLOW = 100;

  private static final String META = "\\.+*?()|[]{}^$";

  static {
    // Load RE2J's classes (Unicode tables, case folding) here, on a normal stack: a class whose
    // initializer failed with StackOverflowError (caught below) would be unusable for good.
    Pattern.compile("(?i)\\pL[[:alpha:]]\\x{41}a{0,2}|\\Qb\\E").matcher("A").matches();
  }

  /** How {@link #matches} decides for an anchored expression; GENERAL runs RE2. */
  private enum Shape { GENERAL, LITERAL, SET, PREFIX, SUFFIX, CONTAINS, ANY, NON_EMPTY }

  private final String regex;
  private final boolean anchored;
  private final Pattern pattern;
  private final Shape shape;
  private final String literal;
  private final Set<String> set;

  private UserRegex(String regex, boolean anchored) {
    this.regex = requireNonNull(regex, "regex");
    this.anchored = anchored;
    int height = checkLimits(regex);
    Pattern p;
    try {
      // Prometheus compiles "^(?s:" + re + ")$": fully anchored, '.' matching a newline too.
      // The same here with a flag and matches() (anchored at both ends), so the expression
      // cannot close the wrapper ("a)|(b") and errors quote only what the user wrote.
      int flags = anchored ? Pattern.DOTALL : 0;
      p = height > SHALLOW ? compileOnLargeStack(regex, flags) : Pattern.compile(regex, flags);
    } catch (PatternSyntaxException e) {
      throw new InvalidRegexException(regex, goMessage(e, regex));
    } catch (StackOverflowError e) {
      // Should not happen within the limits; nothing is held here, so refuse rather than fail.
      throw new InvalidRegexException(regex, "expression nests too deeply");
    }
    if (p.programSize() > MAX_PROGRAM_SIZE) {
      throw new InvalidRegexException(regex, "expression too large: " + p.programSize()
          + " instructions (expected: <= " + MAX_PROGRAM_SIZE + ")");
    }
    this.pattern = p;
    Shape s = Shape.GENERAL;
    String lit = null;
    Set<String> values = null;
    if (anchored) {
      int n = regex.length();
      if (regex.equals(".*")) {
        s = Shape.ANY;
      } else if (regex.equals(".+")) {
        s = Shape.NON_EMPTY;
      } else if (isLiteral(regex, 0, n)) {
        s = Shape.LITERAL;
        lit = regex;
      } else if (n >= 4 && regex.startsWith(".*") && regex.endsWith(".*")
          && isLiteral(regex, 2, n - 2)) {
        s = Shape.CONTAINS;
        lit = regex.substring(2, n - 2);
      } else if (regex.endsWith(".*") && isLiteral(regex, 0, n - 2)) {
        s = Shape.PREFIX;
        lit = regex.substring(0, n - 2);
      } else if (regex.startsWith(".*") && isLiteral(regex, 2, n)) {
        s = Shape.SUFFIX;
        lit = regex.substring(2);
      } else if (isAlternationOfLiterals(regex)) {
        s = Shape.SET;
        values = Collections.unmodifiableSet(new HashSet<>(splitAlternation(regex)));
      }
    }
    this.shape = s;
    this.literal = lit;
    this.set = values;
  }

  /**
   * A label regex as Prometheus runs it: fully anchored (as {@code ^(?s:regex)$}), {@code .}
   * matching newlines too.
   *
   * @throws InvalidRegexException when the expression is not RE2 or over a limit
   */
  public static UserRegex anchored(String regex) {
    return new UserRegex(regex, true);
  }

  /**
   * An expression as Go's {@code regexp.MatchString} runs it (template {@code match},
   * {@code reReplaceAll}): unanchored, no implicit flags.
   *
   * @throws InvalidRegexException when the expression is not RE2 or over a limit
   */
  public static UserRegex unanchored(String regex) {
    return new UserRegex(regex, false);
  }

  /** The expression as given. */
  public String regex() {
    return regex;
  }

  /**
   * Anchored: whether all of {@code s} matches. Unanchored: whether some part of {@code s}
   * matches. Time is linear in {@code s.length()} times the program size.
   */
  public boolean matches(String s) {
    return switch (shape) {
      case LITERAL -> literal.equals(s);
      case SET -> set.contains(s);
      case PREFIX -> s.startsWith(literal);
      case SUFFIX -> s.endsWith(literal);
      case CONTAINS -> s.contains(literal);
      case ANY -> true;
      case NON_EMPTY -> !s.isEmpty();
      case GENERAL -> anchored ? pattern.matcher(s).matches() : pattern.matcher(s).find();
    };
  }

  /**
   * For an anchored expression that is a literal or an alternation of literals
   * ({@code a|b|c}), exactly the strings it matches; otherwise null. Lets an index look those
   * values up instead of testing every value it holds.
   */
  public Set<String> literals() {
    if (shape == Shape.LITERAL) {
      return Set.of(literal);
    }
    return set;
  }

  /**
   * When {@code s} matches, {@code template} with Go's {@code regexp.Expand} references
   * replaced by the groups of the match ({@code $1}, {@code ${1}}, {@code $name},
   * {@code ${name}}, {@code $$} for a dollar; an unknown group is empty); null when it does not
   * match. This is {@code label_replace}'s contract.
   */
  public @Nullable String expandIfMatches(String s, String template) {
    requireNonNull(template, "template");
    Matcher m = pattern.matcher(s);
    boolean found = anchored ? m.matches() : m.find();
    if (!found) {
      return null;
    }
    StringBuilder out = new StringBuilder();
    expand(out, template, m);
    return out.toString();
  }

  /**
   * Every match in {@code s} replaced by {@code template} expanded as in
   * {@link #expandIfMatches}, with Go's {@code ReplaceAllString} rules: matches do not overlap,
   * and an empty match right after a previous match is not replaced.
   */
  public String replaceAll(String s, String template) {
    requireNonNull(s, "s");
    requireNonNull(template, "template");
    Matcher m = pattern.matcher(s);
    StringBuilder out = new StringBuilder();
    int lastMatchEnd = 0;
    int searchPos = 0;
    while (searchPos <= s.length() && m.find(searchPos)) {
      int start = m.start();
      int end = m.end();
      out.append(s, lastMatchEnd, start);
      if (end > lastMatchEnd || start == 0) {
        expand(out, template, m);
      }
      lastMatchEnd = end;
      // Always advance, by at least one code point past an empty match.
      int width = searchPos < s.length() ? Character.charCount(s.codePointAt(searchPos)) : 1;
      searchPos = searchPos + width > end ? searchPos + width : end;
    }
    out.append(s, Math.min(lastMatchEnd, s.length()), s.length());
    return out.toString();
  }

  @Override
  public String toString() {
    return regex;
  }

  // ---- template expansion (Go's regexp.Expand)

  private static void expand(StringBuilder out, String template, Matcher m) {
    int i = 0;
    int n = template.length();
    while (i < n) {
      char c = template.charAt(i);
      if (c != '$' || i + 1 >= n) {
        out.append(c);
        i++;
        continue;
      }
      char next = template.charAt(i + 1);
      if (next == '$') {
        out.append('$');
        i += 2;
        continue;
      }
      String name;
      int after;
      if (next == '{') {
        int close = template.indexOf('}', i + 2);
        if (close < 0 || !isName(template, i + 2, close)) {
          out.append(c);
          i++;
          continue;
        }
        name = template.substring(i + 2, close);
        after = close + 1;
      } else {
        int j = i + 1;
        while (j < n && isNameChar(template.charAt(j))) {
          j++;
        }
        if (j == i + 1) {
          out.append(c);
          i++;
          continue;
        }
        name = template.substring(i + 1, j);
        after = j;
      }
      String g = group(m, name);
      if (g != null) {
        out.append(g);
      }
      i = after;
    }
  }

  private static boolean isName(String s, int from, int to) {
    if (from >= to) {
      return false;
    }
    for (int i = from; i < to; i++) {
      if (!isNameChar(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isNameChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }

  private static String group(Matcher m, String name) {
    boolean digits = true;
    for (int i = 0; i < name.length(); i++) {
      digits &= name.charAt(i) >= '0' && name.charAt(i) <= '9';
    }
    if (digits) {
      // Go gives up on numbers of 9 digits or more; they match no group either way.
      if (name.length() > 8) {
        return null;
      }
      int idx = Integer.parseInt(name);
      return idx <= m.groupCount() ? m.group(idx) : null;
    }
    Integer idx = m.pattern().namedGroups().get(name);
    return idx == null ? null : m.group(idx);
  }

  // ---- fast paths

  private static boolean isLiteral(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      // A lone surrogate is left to RE2, which reads code points.
      if (META.indexOf(c) >= 0 || Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isAlternationOfLiterals(String s) {
    if (s.indexOf('|') < 0) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '|' && (META.indexOf(c) >= 0 || Character.isSurrogate(c))) {
        return false;
      }
    }
    return true;
  }

  private static List<String> splitAlternation(String s) {
    List<String> out = new ArrayList<>();
    int from = 0;
    for (int i = 0; i <= s.length(); i++) {
      if (i == s.length() || s.charAt(i) == '|') {
        out.add(s.substring(from, i));
        from = i + 1;
      }
    }
    return out;
  }

  // ---- limits, checked before compiling

  /**
   * Refuses an expression over {@link #MAX_LENGTH}, {@link #MAX_NESTING}, {@link #MAX_HEIGHT},
   * (estimated) {@link #MAX_PROGRAM_SIZE} or {@link #MAX_EMPTY_STEPS}; returns the height. The
   * estimates walk the expression once, as upper bounds of what RE2 builds, without building
   * anything: every atom is one instruction, a group its contents plus two, {@code x{n,m}}
   * max(n, m) copies of x. Empty steps (alternations, optionals, groups, anchors) are what
   * RE2J's matcher recurses through; height is how deep RE2J's compiler recurses, and
   * {@code x{n,m}} nests its m - n optional copies. Syntax errors are left to the compiler,
   * which names them.
   */
  private static int checkLimits(String re) {
    if (re.length() > MAX_LENGTH) {
      throw new InvalidRegexException(re, "expression too long: " + re.length()
          + " characters (expected: <= " + MAX_LENGTH + ")");
    }
    long[] size = new long[MAX_NESTING + 2];
    long[] empty = new long[MAX_NESTING + 2];
    int[] height = new int[MAX_NESTING + 2];
    boolean[] captures = new boolean[MAX_NESTING + 2];
    int depth = 0;
    // The atom a repetition would apply to: its instructions, empty steps and height.
    long last = 0;
    long lastEmpty = 0;
    int lastHeight = 0;
    int maxHeight = 0;
    int i = 0;
    int n = re.length();
    while (i < n) {
      char c = re.charAt(i);
      long addSize;
      long addEmpty;
      switch (c) {
        case '\\' -> {
          if (i + 1 < n && re.charAt(i + 1) == 'Q') {
            int end = re.indexOf("\\E", i + 2);
            int stop = end < 0 ? n : end;
            addSize = stop - (i + 2);
            i = end < 0 ? n : end + 2;
            addEmpty = 0;
          } else {
            char e = i + 1 < n ? re.charAt(i + 1) : 'x';
            i = skipEscape(re, i);
            addSize = 1;
            addEmpty = e == 'b' || e == 'B' || e == 'A' || e == 'z' ? 1 : 0;
          }
          last = 1;
          lastEmpty = addEmpty;
          lastHeight = 0;
        }
        case '[' -> {
          i = skipClass(re, i);
          addSize = 1;
          addEmpty = 0;
          last = 1;
          lastEmpty = 0;
          lastHeight = 0;
        }
        case '(' -> {
          if (depth == MAX_NESTING) {
            throw new InvalidRegexException(re, "expression nests too deeply: more than "
                + MAX_NESTING + " levels of parentheses");
          }
          // A capturing group adds two capture steps; (?:...) and flags add none.
          boolean capturing = i + 1 >= n || re.charAt(i + 1) != '?'
              || re.startsWith("(?P<", i) || re.startsWith("(?<", i);
          int body = i + 1;
          if (i + 1 < n && re.charAt(i + 1) == '?') {
            // Skip "(?i)" (flags, no group) or the "?flags:" / "?P<name>" head of a group.
            int j = i + 2;
            while (j < n && re.charAt(j) != ':' && re.charAt(j) != ')' && re.charAt(j) != '>') {
              j++;
            }
            if (j < n && re.charAt(j) == ')') {
              i = j + 1;
              continue;
            }
            body = Math.min(j + 1, n);
          }
          depth++;
          captures[depth] = capturing;
          size[depth] = 0;
          empty[depth] = 0;
          height[depth] = 0;
          last = 0;
          lastEmpty = 0;
          lastHeight = 0;
          i = body;
          continue;
        }
        case ')' -> {
          i++;
          if (depth == 0) {
            continue;
          }
          last = size[depth] + 2;
          lastEmpty = empty[depth] + (captures[depth] ? 2 : 0);
          lastHeight = height[depth] + 1;
          depth--;
          addSize = last;
          addEmpty = lastEmpty;
        }
        case '|' -> {
          i++;
          addSize = 1;
          addEmpty = 1;
          last = 0;
          lastEmpty = 0;
          lastHeight = 0;
        }
        case '*', '+', '?' -> {
          i++;
          addSize = 1;
          addEmpty = 1;
          last += 1;
          lastEmpty += 1;
          lastHeight += 1;
        }
        case '^', '$' -> {
          i++;
          addSize = 1;
          addEmpty = 1;
          last = 1;
          lastEmpty = 1;
          lastHeight = 0;
        }
        case '{' -> {
          int[] rep = repeat(re, i);
          if (rep == null) {
            // Not a repetition: a literal '{', as in RE2.
            i++;
            addSize = 1;
            addEmpty = 0;
            last = 1;
            lastEmpty = 0;
            lastHeight = 0;
          } else {
            long copies = Math.max(rep[0], rep[1]) + 1L;
            long optional = rep[3] == 1 ? 1 : Math.max(rep[1] - rep[0], 0);
            // The atom is already counted once; add the other copies and their splits.
            addSize = last * (copies - 1) + copies;
            addEmpty = lastEmpty * (copies - 1) + optional + 1;
            last = last * copies + copies;
            lastEmpty = lastEmpty * copies + optional + 1;
            lastHeight += (int) optional;
            i = rep[2];
          }
        }
        default -> {
          i++;
          addSize = 1;
          addEmpty = 0;
          last = 1;
          lastEmpty = 0;
          lastHeight = 0;
        }
      }
      size[depth] += addSize;
      empty[depth] += addEmpty;
      height[depth] = Math.max(height[depth], lastHeight);
      maxHeight = Math.max(maxHeight, lastHeight + depth);
      if (size[depth] > MAX_PROGRAM_SIZE || last > MAX_PROGRAM_SIZE) {
        throw new InvalidRegexException(re, "expression too large: over " + MAX_PROGRAM_SIZE
            + " instructions once counted repetitions are expanded");
      }
      if (empty[depth] > MAX_EMPTY_STEPS || lastEmpty > MAX_EMPTY_STEPS) {
        throw new InvalidRegexException(re, "expression too complex: over " + MAX_EMPTY_STEPS
            + " alternations, optional parts and groups once counted repetitions are expanded");
      }
      if (maxHeight > MAX_HEIGHT) {
        throw new InvalidRegexException(re, "expression nests too deeply: over " + MAX_HEIGHT
            + " levels once counted repetitions are expanded");
      }
    }
    return maxHeight;
  }

  /** Index after the escape starting at {@code i} (a backslash). */
  private static int skipEscape(String re, int i) {
    int j = i + 1;
    if (j >= re.length()) {
      return re.length();
    }
    char c = re.charAt(j);
    if ((c == 'p' || c == 'P' || c == 'x') && j + 1 < re.length() && re.charAt(j + 1) == '{') {
      int close = re.indexOf('}', j + 2);
      return close < 0 ? re.length() : close + 1;
    }
    return j + 1;
  }

  /** Index after the character class starting at {@code i} (a '['). */
  private static int skipClass(String re, int i) {
    int j = i + 1;
    int n = re.length();
    if (j < n && re.charAt(j) == '^') {
      j++;
    }
    if (j < n && re.charAt(j) == ']') {
      j++; // a leading ']' is a literal
    }
    while (j < n) {
      char c = re.charAt(j);
      if (c == '\\') {
        j = skipEscape(re, j);
      } else if (c == '[' && j + 1 < n && re.charAt(j + 1) == ':') {
        int close = re.indexOf(":]", j + 2);
        j = close < 0 ? j + 1 : close + 2;
      } else if (c == ']') {
        return j + 1;
      } else {
        j++;
      }
    }
    return n;
  }

  /**
   * {@code {n}}, {@code {n,}} or {@code {n,m}} at {@code i}: {n, m (or n), index after, 1 if
   * open-ended}; null
   * when it is not a repetition. Counts over 1000 are left to RE2, which refuses them.
   */
  private static int[] repeat(String re, int i) {
    int j = i + 1;
    int n = re.length();
    int min = 0;
    int digits = 0;
    while (j < n && re.charAt(j) >= '0' && re.charAt(j) <= '9') {
      min = Math.min(min * 10 + (re.charAt(j) - '0'), 1001);
      j++;
      digits++;
    }
    if (digits == 0 || j >= n) {
      return null;
    }
    int max = min;
    int open = 0;
    if (re.charAt(j) == ',') {
      j++;
      int maxDigits = 0;
      int m = 0;
      while (j < n && re.charAt(j) >= '0' && re.charAt(j) <= '9') {
        m = Math.min(m * 10 + (re.charAt(j) - '0'), 1001);
        j++;
        maxDigits++;
      }
      max = maxDigits == 0 ? min : m;
      open = maxDigits == 0 ? 1 : 0;
    }
    if (j >= n || re.charAt(j) != '}') {
      return null;
    }
    return new int[] {Math.min(min, 1001), Math.min(max, 1001), j + 1, open};
  }

  /**
   * Compiles on a fresh thread with a 64 MiB stack (reserved, mostly never touched): RE2J's
   * compiler recurses once per level, and {@code a{0,1000}} is 1000 levels, more than a small
   * thread stack holds. Such expressions are rare; the caller waits (compiling is bounded).
   */
  private static Pattern compileOnLargeStack(String regex, int flags) {
    Object[] result = new Object[1];
    Thread t = new Thread(null, () -> {
      try {
        result[0] = Pattern.compile(regex, flags);
      } catch (RuntimeException | StackOverflowError e) {
        result[0] = e;
      }
    }, "sextant-regex-compile", 64L << 20);
    t.setDaemon(true);
    t.start();
    boolean interrupted = false;
    while (true) {
      try {
        t.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (result[0] instanceof PatternSyntaxException e) {
      throw e;
    }
    if (result[0] instanceof StackOverflowError e) {
      throw e;
    }
    if (result[0] instanceof RuntimeException e) {
      throw e;
    }
    return (Pattern) result[0];
  }

  /** RE2J's messages follow Go's ("error parsing regexp: missing closing ]: `[a`"). */
  private static String goMessage(PatternSyntaxException e, String regex) {
    String msg = e.getMessage();
    if (msg == null) {
      return "error parsing regexp";
    }
    if (msg.contains("stack underflow")) {
      // RE2J's word for an unmatched ')'; Go's is this.
      return "error parsing regexp: unexpected ): `" + regex + "`";
    }
    return msg;
  }
}
