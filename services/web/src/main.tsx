import { render } from "preact";
import { App } from "./app.js";
import "./styles.css";
import { startOutbox } from "./offline/outbox.js";
import { registerServiceWorker } from "./offline/registerServiceWorker.js";

const root = document.getElementById("app");
if (root !== null) render(<App />, root);
registerServiceWorker();
startOutbox();
