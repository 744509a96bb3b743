package dev.sextant.agent.internal;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.opentelemetry.javaagent.bootstrap.Java8BytecodeBridge;
import io.opentelemetry.javaagent.extension.instrumentation.InstrumentationModule;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Puts the correlation ID into logback's MDC under {@code correlation_id}, next to the agent's own
 * {@code trace_id} and {@code span_id}, so a pattern can print {@code %X{correlation_id}}. The ID
 * is read from the baggage current when the event's MDC map is read, which for synchronous
 * appenders is the logging thread. The enlarged map is kept in the event, so an event is copied
 * once however often its MDC is read. Disable with
 * {@code otel.instrumentation.sextant-logback-mdc.enabled=false}.
 */
public final class CorrelationIdMdcInstrumentationModule extends InstrumentationModule {
  public CorrelationIdMdcInstrumentationModule() {
    super("sextant-logback-mdc");
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return List.of(new LoggingEventInstrumentation());
  }

  static final class LoggingEventInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
      return named("ch.qos.logback.classic.spi.LoggingEvent");
    }

    @Override
    public void transform(TypeTransformer transformer) {
      transformer.applyAdviceToMethod(
          isPublic().and(named("getMDCPropertyMap")).and(takesArguments(0)),
          CorrelationIdMdcInstrumentationModule.class.getName() + "$GetMdcAdvice");
    }
  }

  /** Inlined into logback; may only use the JDK and the agent's bootstrap classes. */
  @SuppressWarnings("unused")
  public static final class GetMdcAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void onExit(
        @Advice.Return(typing = Assigner.Typing.DYNAMIC, readOnly = false)
            Map<String, String> contextData,
        @Advice.FieldValue(value = "mdcPropertyMap", readOnly = false)
            Map<String, String> eventMdc) {
      if (contextData != null && contextData.containsKey("correlation_id")) {
        return; // added by an earlier call on this event (or set by the application)
      }
      String id = Java8BytecodeBridge.baggageFromContext(Java8BytecodeBridge.currentContext())
          .getEntryValue("correlation_id");
      if (id == null) {
        return;
      }
      Map<String, String> copy =
          contextData == null ? new HashMap<>() : new HashMap<>(contextData);
      copy.put("correlation_id", id);
      contextData = copy;
      // A pattern reads the map once per %X: keeping the copy in the event makes the later
      // reads return it as is instead of copying the map again each time.
      eventMdc = copy;
    }

    private GetMdcAdvice() {}
  }
}
