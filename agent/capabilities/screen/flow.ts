// The flow control is shared with the browser page's screen sender (protocol/screen-flow.ts).
export { defaultFlow, FlowControl, type FlowOptions } from '../../../protocol/screen-flow.js';
