// Runs before the Decap CMS bundle: admin.js registers the guide's YAML list format
// first, then starts the CMS itself.
window.CMS_MANUAL_INIT = true;
