package dev.sextant.alert.internal.template;

/** A template that does not parse, or whose execution failed. The message reads like Go's. */
public final class TemplateException extends Exception {
  private static final long serialVersionUID = 1L;

  public TemplateException(String message) {
    super(message);
  }
}
