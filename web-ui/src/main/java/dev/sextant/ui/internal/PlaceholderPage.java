package dev.sextant.ui.internal;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.ServiceRequestContext;
import java.util.Map;

/** A nav entry whose page is not built yet: says so instead of a 404. */
public final class PlaceholderPage extends Page {
  private final String title;
  private final String nav;
  private final String message;

  public PlaceholderPage(Templates templates, String title, String nav, String message) {
    super(templates);
    this.title = title;
    this.nav = nav;
    this.message = message;
  }

  @Override
  HttpResponse render(ServiceRequestContext ctx, Params p) {
    Map<String, Object> scope = Templates.scope(title, nav);
    scope.put("message", message);
    return templates.page(HttpStatus.OK, "placeholder", scope);
  }
}
