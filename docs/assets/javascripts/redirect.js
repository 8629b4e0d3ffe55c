// Used only by the redirect pages of moved addresses (data/public-urls.yml). Their meta
// refresh works without this file but drops the #section of the old link; this keeps it.
(function () {
  "use strict";
  var refresh = document.querySelector('meta[http-equiv="refresh"]');
  if (!refresh || !window.location.hash) return;
  var target = refresh.getAttribute("content").split("url=")[1];
  if (target) window.location.replace(target + window.location.hash);
})();
