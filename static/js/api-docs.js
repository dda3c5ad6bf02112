// Starts the vendored Swagger UI on the API's schema (no inline script: the CSP forbids it).
(function () {
  "use strict";
  var slot = document.getElementById("swagger-ui");
  if (!slot || typeof window.SwaggerUIBundle !== "function") return;
  window.SwaggerUIBundle({
    url: slot.getAttribute("data-schema-url"),
    domNode: slot,
    deepLinking: false,
    tryItOutEnabled: false,
    supportedSubmitMethods: ["get"],
    validatorUrl: null,
    defaultModelsExpandDepth: 0,
  });
})();
