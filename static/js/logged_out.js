/* The login page: whoever stands here is logged out (or expired, or disabled), so the area the
 * phone kept for offline work goes. The upload queue (IndexedDB) stays for the next login. */
(function () {
  "use strict";
  if (window.caches) {
    caches.delete("vg-data");
    caches.delete("vg-pages");
  }
})();
