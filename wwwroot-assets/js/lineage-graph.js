// The lineage page's graph: cytoscape with the dagre layout (wwwroot-assets/lib, pinned in docs/decisions/0013-lineage-graph.md).
// The libraries are UMD builds: loaded once as scripts from Portal's own origin (the CSP allows 'self' only), then used
// through window.cytoscape. One graph per element; the page disposes it with the component.

const libraries = ["assets/lib/cytoscape/cytoscape.min.js", "assets/lib/dagre/dagre.min.js", "assets/lib/cytoscape-dagre/cytoscape-dagre.js"]
  .map(path => new URL(path, document.baseURI).href);
let loading = null;
const graphs = new WeakMap();

function loadScript(src) {
  return new Promise((resolve, reject) => {
    if (document.querySelector(`script[data-lineage-lib="${src}"]`)) {
      resolve();
      return;
    }
    const script = document.createElement("script");
    script.src = src;
    script.async = false;
    script.dataset.lineageLib = src;
    script.onload = () => resolve();
    script.onerror = () => reject(new Error(`Could not load ${src}`));
    document.head.appendChild(script);
  });
}

async function ready() {
  loading ??= (async () => {
    for (const src of libraries) {
      await loadScript(src);
    }
    if (window.cytoscapeDagre && !window.__lineageDagreRegistered) {
      window.cytoscape.use(window.cytoscapeDagre);
      window.__lineageDagreRegistered = true;
    }
  })();
  return loading;
}

const palette = {
  dataset: "#5c6bc0", datasetVersion: "#3f51b5", run: "#00897b", modelVersion: "#8e24aa",
  promotion: "#f9a825", deployment: "#2e7d32", job: "#6d4c41", externalDataset: "#757575",
};

// Draws the graph into element; a click on a node calls back the component's SelectNode(id).
export async function render(element, graph, component) {
  await ready();
  dispose(element);
  const personal = new Set(graph.nodes.filter(n => n.personalData).map(n => n.id));
  const elements = [
    ...graph.nodes.map(n => ({
      data: { id: n.id, label: n.label, kind: n.kind, colour: palette[n.kind] ?? "#607d8b" },
      classes: [n.personalData ? "personal" : "", n.live ? "live" : "", n.id === graph.root ? "root" : ""].join(" ").trim(),
    })),
    ...graph.edges.map((e, i) => ({
      data: { id: `e${i}`, source: e.from, target: e.to, label: e.kind },
      classes: personal.has(e.from) && personal.has(e.to) ? "personal" : "",
    })),
  ];
  const cy = window.cytoscape({
    container: element,
    elements,
    wheelSensitivity: 0.3,
    style: [
      { selector: "node", style: {
        "background-color": "data(colour)", label: "data(label)", color: "#212121", "font-size": 10, "text-wrap": "wrap",
        "text-max-width": 140, "text-valign": "bottom", "text-margin-y": 4, width: 22, height: 22 } },
      { selector: "node.personal", style: { "border-width": 4, "border-color": "#d32f2f" } },
      { selector: "node.live", style: { shape: "round-rectangle", width: 30 } },
      { selector: "node.root", style: { width: 30, height: 30, "font-weight": "bold" } },
      { selector: "node:selected", style: { "overlay-opacity": 0.2, "overlay-color": "#1976d2" } },
      { selector: "edge", style: {
        width: 1.5, "line-color": "#9e9e9e", "target-arrow-color": "#9e9e9e", "target-arrow-shape": "triangle", "curve-style": "bezier",
        label: "data(label)", "font-size": 8, color: "#616161", "text-rotation": "autorotate" } },
      { selector: "edge.personal", style: { "line-color": "#d32f2f", "target-arrow-color": "#d32f2f", width: 2.5 } },
    ],
    layout: { name: window.cytoscapeDagre ? "dagre" : "breadthfirst", rankDir: "LR", nodeSep: 30, rankSep: 90, directed: true },
  });
  cy.on("tap", "node", evt => component.invokeMethodAsync("SelectNode", evt.target.id()));
  graphs.set(element, cy);
  element.dataset.rendered = String(graph.nodes.length);
}

// Fits the whole graph in view again.
export function fit(element) {
  graphs.get(element)?.fit(undefined, 30);
}

// Zooms in (factor > 1) or out around the centre; keyboard users have the page's buttons for what the wheel does.
export function zoom(element, factor) {
  const cy = graphs.get(element);
  if (cy) {
    cy.zoom({ level: cy.zoom() * factor, renderedPosition: { x: element.clientWidth / 2, y: element.clientHeight / 2 } });
  }
}

// Marks the node chosen in the table or the details panel as selected in the graph.
export function select(element, id) {
  const cy = graphs.get(element);
  if (cy) {
    cy.elements().unselect();
    cy.getElementById(id).select();
  }
}

export function dispose(element) {
  const cy = element ? graphs.get(element) : null;
  if (cy) {
    cy.destroy();
    graphs.delete(element);
  }
}
