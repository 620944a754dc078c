// Import several instrument files from the request page, one request per
// file, showing progress while the page stays usable. With one file, or
// without JavaScript, the form posts normally.
"use strict";

document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("upload-form");
  var panel = document.getElementById("import-progress");
  if (!form || !panel) {
    return;
  }
  var input = form.querySelector("input[type=file]");
  form.addEventListener("submit", function (event) {
    if (!input.files || input.files.length < 2) {
      return;
    }
    event.preventDefault();
    importFiles(form, Array.prototype.slice.call(input.files), panel);
  });
});

function label(panel, name, values) {
  var text = panel.dataset[name] || name;
  Object.keys(values || {}).forEach(function (key) {
    text = text.replace("{" + key + "}", values[key]);
  });
  return text;
}

function sendOne(form, file, onProgress) {
  return new Promise(function (resolve) {
    var data = new FormData(form);
    data.set("file", file, file.name);
    var request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.setRequestHeader("Accept", "application/json");
    request.upload.onprogress = function (event) {
      if (event.lengthComputable) {
        onProgress(event.loaded / event.total);
      }
    };
    request.onload = function () {
      var body = {};
      try {
        body = JSON.parse(request.responseText);
      } catch (error) {
        body = { error: "HTTP " + request.status };
      }
      resolve({ ok: request.status === 200, body: body, file: file.name });
    };
    request.onerror = function () {
      resolve({ ok: false, body: { error: "network error" }, file: file.name });
    };
    request.send(data);
  });
}

async function importFiles(form, files, panel) {
  var bar = panel.querySelector("progress");
  var status = panel.querySelector(".status");
  var list = panel.querySelector("ul");
  var button = form.querySelector("button[type=submit]");
  var imported = 0;
  var points = 0;
  panel.hidden = false;
  button.disabled = true;
  list.textContent = "";
  for (var index = 0; index < files.length; index++) {
    status.textContent = label(panel, "labelFile", {
      n: index + 1, total: files.length, name: files[index].name,
    });
    var outcome = await sendOne(form, files[index], function (share) {
      bar.value = (index + share) / files.length;
    });
    var item = document.createElement("li");
    if (outcome.ok) {
      imported += 1;
      points += outcome.body.points;
      var link = document.createElement("a");
      link.href = outcome.body.url;
      link.textContent = outcome.file + ": " + outcome.body.points + " / " + outcome.body.verdict;
      item.appendChild(link);
      (outcome.body.warnings || []).forEach(function (warning) {
        var note = document.createElement("div");
        note.className = "warning";
        note.textContent = warning;
        item.appendChild(note);
      });
    } else {
      item.className = "error";
      item.textContent = outcome.file + ": " + outcome.body.error;
    }
    list.appendChild(item);
    bar.value = (index + 1) / files.length;
  }
  status.textContent = label(panel, "labelSummary", {
    read: files.length, imported: imported,
    rejected: files.length - imported, points: points,
  });
  status.className = "status flash " + (imported === 0 ? "flash-danger" : "flash-success");
  button.disabled = false;
}
