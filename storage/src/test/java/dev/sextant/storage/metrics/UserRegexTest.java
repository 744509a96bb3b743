package dev.sextant.storage.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class UserRegexTest {
  private static final String LONG_A = "a".repeat(100_000);

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void matches_catastrophicBacktrackingPatterns_linearTime() {
    // Each of these takes java.util.regex longer than the age of the universe on LONG_A + "c".
    for (String re : new String[] {"(a|aa)*b", "(x+x+)+y", "(a*)*b", "(a|a?)+b", "(.*a){12}b"}) {
      UserRegex r = UserRegex.anchored(re);
      assertThat(r.matches(LONG_A + "c")).as(re).isFalse();
      assertThat(UserRegex.unanchored(re).matches(LONG_A + "c")).as(re).isFalse();
    }
  }

  @Test
  void anchored_fullyAnchoredAndDotMatchesNewline() {
    assertThat(UserRegex.anchored("ap").matches("api")).isFalse();
    assertThat(UserRegex.anchored("a.i").matches("api")).isTrue();
    assertThat(UserRegex.anchored("a|b").matches("ab")).isFalse();
    assertThat(UserRegex.anchored("x.*").matches("x\ny")).isTrue();
    assertThat(UserRegex.anchored(".*y").matches("x\ny")).isTrue();
    assertThat(UserRegex.anchored("x.y").matches("x\ny")).isTrue();
    assertThat(UserRegex.anchored("").matches("")).isTrue();
    assertThat(UserRegex.anchored("").matches("a")).isFalse();
  }

  @Test
  void unanchored_findsAnywhereWithoutImplicitFlags() {
    assertThat(UserRegex.unanchored("ap").matches("xapx")).isTrue();
    assertThat(UserRegex.unanchored("^ap$").matches("xapx")).isFalse();
    assertThat(UserRegex.unanchored("x.y").matches("x\ny")).isFalse();
  }

  @Test
  void matches_fastPathsAgreeWithRe2() {
    String[] patterns = {"abc", "ab.*", ".*bc", ".*b.*", ".*", ".+", "a|b|", "api|db", "",
        "a.*.*", "é|ü", ".*.*"};
    String[] values = {"", "a", "b", "abc", "ab", "xabcx", "api", "db", "a\nbc", "é", "bc"};
    for (String p : patterns) {
      UserRegex fast = UserRegex.anchored(p);
      // The same expression in a group skips every fast path.
      UserRegex slow = UserRegex.anchored("(?:" + p + ")");
      for (String v : values) {
        assertThat(fast.matches(v)).as("%s ~ %s", p, v).isEqualTo(slow.matches(v));
      }
    }
  }

  @Test
  void literals_onlyForLiteralAlternations() {
    assertThat(UserRegex.anchored("api|db").literals()).isEqualTo(Set.of("api", "db"));
    assertThat(UserRegex.anchored("api|").literals()).isEqualTo(Set.of("api", ""));
    assertThat(UserRegex.anchored("api").literals()).isEqualTo(Set.of("api"));
    assertThat(UserRegex.anchored("api.*").literals()).isNull();
    assertThat(UserRegex.anchored("(?i)api").literals()).isNull();
    assertThat(UserRegex.unanchored("api").literals()).isNull();
  }

  @Test
  void anchored_unsupportedSyntax_invalidRegexNamingTheProblem() {
    assertThatThrownBy(() -> UserRegex.anchored("(?=a)b"))
        .isInstanceOf(InvalidRegexException.class)
        .hasMessage("invalid regular expression \"(?=a)b\": error parsing regexp: "
            + "invalid or unsupported Perl syntax: `(?=`");
    assertThatThrownBy(() -> UserRegex.anchored("(a)\\1"))
        .isInstanceOf(InvalidRegexException.class)
        .hasMessageContaining("invalid escape sequence: `\\1`");
    assertThatThrownBy(() -> UserRegex.anchored("(?<!a)b"))
        .isInstanceOf(InvalidRegexException.class)
        .hasMessageContaining("invalid named capture: `(?<!a)b`");
    assertThatThrownBy(() -> UserRegex.anchored("a)|(b"))
        .isInstanceOf(InvalidRegexException.class)
        .hasMessageEndingWith("error parsing regexp: unexpected ): `a)|(b`");
    assertThatThrownBy(() -> UserRegex.anchored("a++"))
        .isInstanceOf(InvalidRegexException.class)
        .hasMessageContaining("invalid nested repetition operator");
    assertThatThrownBy(() -> UserRegex.anchored("[a"))
        .isInstanceOf(InvalidRegexException.class)
        .hasMessageContaining("missing closing ]");
    assertThatThrownBy(() -> UserRegex.anchored("a{1001}"))
        .isInstanceOf(InvalidRegexException.class)
        .hasMessageContaining("invalid repeat count");
  }

  @Test
  void anchored_goSyntaxJavaLacks_accepted() {
    assertThat(UserRegex.anchored("[[:alpha:]]+").matches("abc")).isTrue();
    assertThat(UserRegex.anchored("(?P<x>a)b").matches("ab")).isTrue();
    assertThat(UserRegex.anchored("\\pL+").matches("éa")).isTrue();
    assertThat(UserRegex.anchored("a{,2}").matches("a{,2}")).isTrue(); // a literal '{' in Go
    assertThat(UserRegex.anchored("(?i)API").matches("api")).isTrue();
    assertThat(UserRegex.anchored("a{0,1000}").matches("aaaa")).isTrue();
  }

  @Test
  void anchored_overLimits_refusedBeforeCompiling() {
    String tooLong = "a".repeat(UserRegex.MAX_LENGTH + 1);
    assertThatThrownBy(() -> UserRegex.anchored(tooLong))
        .isInstanceOf(InvalidRegexException.class)
        .hasMessageContaining("expression too long: 16385 characters (expected: <= 16384)")
        .hasMessageContaining("(16385 characters)");
    assertThat(UserRegex.anchored("a".repeat(UserRegex.MAX_LENGTH)).matches("a")).isFalse();

    // 10^8 instructions once expanded: compiling it would take gigabytes.
    assertThatThrownBy(() -> UserRegex.anchored("(((a{100}){100}){100}){100}"))
        .isInstanceOf(InvalidRegexException.class)
        .hasMessageContaining("expression too large");
    assertThatThrownBy(() -> UserRegex.anchored("(?:".repeat(300) + "a" + "){2}".repeat(300)))
        .isInstanceOf(InvalidRegexException.class)
        .hasMessageContaining("expression nests too deeply");
    assertThatThrownBy(() -> UserRegex.anchored("(".repeat(8000) + ")".repeat(8000)))
        .isInstanceOf(InvalidRegexException.class)
        .hasMessageContaining("more than 100 levels");
    assertThatThrownBy(() -> UserRegex.anchored("[a-z]{1000}".repeat(40)))
        .isInstanceOf(InvalidRegexException.class)
        .hasMessageContaining("expression too large");
    // Large but within the limits.
    assertThat(UserRegex.anchored("[a-z]{1000}".repeat(16)).matches("a")).isFalse();
    assertThat(UserRegex.anchored("(".repeat(100) + "a" + ")".repeat(100)).matches("a")).isTrue();
  }

  @Test
  void anchored_deepRepetition_compiledEvenOnSmallStack() throws Exception {
    Object[] result = new Object[1];
    Thread t = new Thread(null, () -> {
      try {
        result[0] = UserRegex.anchored("a{0,1000}");
      } catch (Throwable e) {
        result[0] = e;
      }
    }, "small-stack", 128 * 1024);
    t.start();
    t.join();
    // RE2J's compiler recurses 1000 levels deep: done on a large-stack thread, not here.
    assertThat(result[0]).isInstanceOf(UserRegex.class);
    assertThat(((UserRegex) result[0]).matches("a".repeat(1000))).isTrue();
    assertThatThrownBy(() -> UserRegex.anchored("(?:a{0,1000}){0,2}"))
        .isInstanceOf(InvalidRegexException.class)
        .hasMessageContaining("expression nests too deeply: over 1000 levels");
    assertThat(UserRegex.anchored("a|".repeat(1999) + "a").matches("a")).isTrue();
  }

  @Test
  void anchored_longChainsOfEmptySteps_refused() throws Exception {
    // RE2J's matcher recurses through these: 30k of them overflow a 1 MiB stack while matching.
    for (String re : new String[] {"(?:(?:a?){100}){21}", "(?:a?){1000}(?:a?){1001}",
        "(?:|a){1000}(?:|a){1001}",
        "a|".repeat(2001) + "a"}) {
      assertThatThrownBy(() -> UserRegex.anchored(re)).as(re)
          .isInstanceOf(InvalidRegexException.class)
          .hasMessageContaining("expression too complex: over 2000 alternations");
    }
    // Within the limit, matching fits a 512 KiB stack.
    UserRegex ok = UserRegex.anchored("(?:a?){1000}(?:a?){900}");
    Object[] result = new Object[1];
    Thread t = new Thread(null, () -> {
      try {
        result[0] = ok.matches("aaab") || ok.matches("aaa");
      } catch (Throwable e) {
        result[0] = e;
      }
    }, "half-mib-stack", 512 * 1024);
    t.start();
    t.join();
    assertThat(result[0]).isEqualTo(true);
  }

  @Test
  void expandIfMatches_goExpandSemantics() {
    UserRegex r = UserRegex.anchored("(?P<host>[^:]+):(\\d+)");
    assertThat(r.expandIfMatches("db:5432", "$1-$2")).isEqualTo("db-5432");
    assertThat(r.expandIfMatches("db:5432", "${host}/${2}")).isEqualTo("db/5432");
    assertThat(r.expandIfMatches("db:5432", "$host$$")).isEqualTo("db$");
    assertThat(r.expandIfMatches("db:5432", "$1x")).isEqualTo(""); // group "1x" does not exist
    assertThat(r.expandIfMatches("db:5432", "$9|$nope|${")).isEqualTo("||${");
    assertThat(r.expandIfMatches("db", "$1")).isNull();
  }

  @Test
  void replaceAll_goReplaceAllStringSemantics() {
    assertThat(UserRegex.unanchored("a*").replaceAll("baaac", "x")).isEqualTo("xbxcx");
    assertThat(UserRegex.unanchored("(o)").replaceAll("foo", "[$1]")).isEqualTo("f[o][o]");
    assertThat(UserRegex.unanchored("^f").replaceAll("ff", "x")).isEqualTo("xf");
    assertThat(UserRegex.unanchored("").replaceAll("ab", "-")).isEqualTo("-a-b-");
    assertThat(UserRegex.unanchored("x").replaceAll("\uD83D\uDE00x", "y"))
        .isEqualTo("\uD83D\uDE00y");
  }
}
