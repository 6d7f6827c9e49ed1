package io.jnatsd.server.monitor;

/**
 * The HTML index of the monitoring server ({@code /}): nats-server's page with a link per endpoint, each relative
 * to the base path. Stateless.
 */
// nats-server: monitor.go HandleRoot
final class IndexPage {

    private static final String[][] LINKS = {
            {"General", MonitorRoutes.VARZ}, {"JetStream", MonitorRoutes.JSZ},
            {"Connections", MonitorRoutes.CONNZ}, {"Accounts", MonitorRoutes.ACCOUNTZ},
            {"Account Stats", MonitorRoutes.ACCSTATZ}, {"Subscriptions", MonitorRoutes.SUBSZ},
            {"Routes", MonitorRoutes.ROUTEZ}, {"LeafNodes", MonitorRoutes.LEAFZ},
            {"Gateways", MonitorRoutes.GATEWAYZ}, {"Raft Groups", MonitorRoutes.RAFTZ},
            {"Health Probe", MonitorRoutes.HEALTHZ}, {"Expvar", MonitorRoutes.EXPVARZ}};

    private IndexPage() {
    }

    static String render(String basePath, String version) {
        StringBuilder html = new StringBuilder(4096);
        html.append("""
                <html lang="en">
                  <head>
                  <link rel="shortcut icon" href="https://nats.io/favicon.ico">
                  <style type="text/css">
                    body { font-family: ui-sans-serif,system-ui,-apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,\
                "Helvetica Neue",Arial,"Noto Sans",sans-serif; font-size: 18; font-weight: light-bold; \
                margin-left: 32px }
                    a { display:block; margin-left: 7px; padding-bottom: 6px; color: rgb(72 72 92); \
                text-decoration: none }
                    a:hover { font-weight: 600; color: rgb(59 50 202) }
                    a.help { display:inline; font-weight: 600; color: rgb(59 50 202); font-size: 20}
                    a.last { padding-bottom: 16px }
                    a.version { font-size: 14; font-weight: 400; width: 312px; text-align: right; \
                margin-top: -2rem }
                    a.version:hover { color: rgb(22 22 32) }
                    .endpoint { font-size: 12px; color: #999; font-family: monospace; display: none }
                    a:hover .endpoint { display: inline }
                  </style>
                  </head>
                  <body>
                  <h1>NATS</h1>
                """);
        html.append("  <a href=https://github.com/nats-io/nats-server class='version'>v").append(version)
                .append("</a>\n  <br/>\n");
        for (int i = 0; i < LINKS.length; i++) {
            String path = LINKS[i][1];
            html.append("  <a href=.").append(MonitorRoutes.join(basePath, path))
                    .append(i == LINKS.length - 1 ? " class=last" : "").append('>').append(LINKS[i][0])
                    .append("<span class=\"endpoint\"> ").append(path).append("</span></a>\n");
        }
        html.append("""
                    <a href=https://docs.nats.io/running-a-nats-service/nats_admin/monitoring class="help">Help</a>
                  </body>
                </html>""");
        return html.toString();
    }
}
