// Progressive enhancement for the pages; the server judges everything anyway. Served as
// /web/app.js: the pages' Content-Security-Policy runs no inline script.
(function () {
  // A hold's page counts down the minutes left.
  var left = document.getElementById('time-left');
  if (left) {
    var seconds = +left.dataset.seconds;
    setInterval(function () {
      seconds = Math.max(0, seconds - 1);
      left.textContent = Math.floor(seconds / 60) + ':' + String(seconds % 60).padStart(2, '0') + ' left';
    }, 1000);
  }
  // An event's page keeps its seat counts current while it is open.
  var live = document.querySelector('[data-live-event]');
  if (live) {
    var shown = { 'seats-left': 'remaining', 'sold': 'sold', 'held': 'held', 'seats-here': 'remainingHere' };
    setInterval(function () {
      fetch('/events/' + encodeURIComponent(live.dataset.liveEvent))
        .then(function (r) { return r.json(); })
        .then(function (e) { for (var id in shown) { document.getElementById(id).textContent = e[shown[id]]; } })
        .catch(function () {});
    }, 10000);
  }
})();
