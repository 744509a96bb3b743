package dev.sextant.ui.internal;

import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import java.util.Map;

/**
 * A page rendered on the blocking executor (storage reads block). Bad input (an
 * {@link IllegalArgumentException} naming the field) renders the page's error template with 400.
 */
abstract class Page implements HttpService {
  final Templates templates;

  Page(Templates templates) {
    this.templates = templates;
  }

  @Override
  public final HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
    Params params = new Params(ctx);
    return HttpResponse.of(() -> {
      try {
        return render(ctx, params);
      } catch (IllegalArgumentException e) {
        Map<String, Object> scope = Templates.scope("Bad request", "none");
        scope.put("error", e.getMessage());
        return templates.page(HttpStatus.BAD_REQUEST, "error", scope);
      }
    }, ctx.blockingTaskExecutor());
  }

  abstract HttpResponse render(ServiceRequestContext ctx, Params params);
}
