import { render } from 'preact';
import { App } from './app.js';
import { getLanguage } from './i18n/index.js';

document.documentElement.lang = getLanguage();
render(<App />, document.getElementById('app')!);
