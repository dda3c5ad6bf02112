// Starts the vendored Swagger UI on the API's schema (no inline script: the CSP forbids it).
(function () {
  "use strict";
  var slot = document.getElementById("swagger-ui");
  if (!slot || typeof window.SwaggerUIBundle !== "function") return;
  // The page has its own title and introduction: Swagger UI's info block (a
  // second h1) is left out, so the operations' headings follow the page's h2.
  var withoutInfo = function () {
    return { wrapComponents: { info: function () { return function () { return null; }; } } };
  };
  window.SwaggerUIBundle({
    url: slot.getAttribute("data-schema-url"),
    plugins: [withoutInfo],
    domNode: slot,
    deepLinking: false,
    tryItOutEnabled: false,
    supportedSubmitMethods: ["get"],
    validatorUrl: null,
    defaultModelsExpandDepth: 0,
  });
})();
