/* Upload with a progress bar: XHR reports upload progress, which fetch cannot. The words come
   translated in the form's data- attributes. */
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  var bar = document.getElementById("upload-progress");
  var status = document.getElementById("upload-status");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var request = new XMLHttpRequest();
    request.open("POST", form.action || window.location.href);
    request.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    request.upload.addEventListener("progress", function (progress) {
      if (progress.lengthComputable) {
        bar.hidden = false;
        bar.value = Math.round(100 * progress.loaded / progress.total);
        status.textContent = progress.loaded < progress.total
          ? form.dataset.uploading + " " + bar.value + "%" : form.dataset.importing;
      }
    });
    request.addEventListener("load", function () {
      var answer = {};
      try { answer = JSON.parse(request.responseText); } catch (ignored) { answer = {}; }
      status.textContent = answer.message || form.dataset.answered.replace("{status}", request.status);
      status.className = request.status === 200 ? "flash" : "flash error";
    });
    request.addEventListener("error", function () {
      status.textContent = form.dataset.failed;
      status.className = "flash error";
    });
    request.send(new FormData(form));
  });
})();
