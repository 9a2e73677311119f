import { render } from "preact";
import { App } from "./app.js";
import "./styles.css";
import { registerServiceWorker } from "./offline/registerServiceWorker.js";

const root = document.getElementById("app");
if (root !== null) render(<App />, root);
registerServiceWorker();
