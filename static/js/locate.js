/* "Utiliser ma position": fills the hidden lat/lon fields of the centre search
   with the browser's position, only after the user clicks and consents.
   Without JavaScript the button stays hidden and the postcode field works. */
(function () {
  "use strict";
  var box = document.querySelector("[data-locate]");
  if (!box || !("geolocation" in navigator)) return;
  var form = box.closest("form");
  var button = box.querySelector("[data-locate-button]");
  var status = box.querySelector("[data-locate-status]");
  var lat = form.querySelector("input[name=lat]");
  var lon = form.querySelector("input[name=lon]");
  var place = form.querySelector("input[name=pres_de]");
  box.hidden = false;

  if (place) {
    place.addEventListener("input", function () {
      lat.value = "";
      lon.value = "";
    });
  }

  button.addEventListener("click", function () {
    status.textContent = "Recherche de votre position…";
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(
      function (position) {
        lat.value = position.coords.latitude.toFixed(5);
        lon.value = position.coords.longitude.toFixed(5);
        if (place) place.value = "";
        status.textContent = "Position trouvée : recherche des centres les plus proches.";
        form.submit();
      },
      function (error) {
        button.disabled = false;
        status.textContent =
          error.code === error.PERMISSION_DENIED
            ? "Vous n’avez pas autorisé l’accès à votre position : saisissez votre code postal."
            : "Votre position n’a pas pu être déterminée : saisissez votre code postal.";
      },
      { enableHighAccuracy: false, timeout: 10000, maximumAge: 600000 }
    );
  });
})();
