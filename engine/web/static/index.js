"use strict";
document.getElementById("go").addEventListener("submit", (e) => {
  e.preventDefault();
  const code = document.getElementById("code").value.replace(/[^0-9A-Za-z]/g, "").toUpperCase();
  if (code) location.href = "/j/" + code;
});
