// /docs: Swagger UI on this node's own /openapi.json. A file, not an inline script: the CSP forbids those.
window.addEventListener('load', () => {
  const ui = SwaggerUIBundle({
    url: '../openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null, // its default sends the document to swagger.io for a badge
    docExpansion: 'list',
    defaultModelsExpandDepth: 0,
    persistAuthorization: false, // a token is not kept beyond the page
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
    onComplete: () => {
      // signed in to the console in this tab: the same token here
      const token = sessionStorage.getItem('ruqi.token');
      if (token) {
        ui.preauthorizeApiKey('bearer', token);
      }
    },
  });
  window.ui = ui;
});
