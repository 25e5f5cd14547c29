import { render } from 'preact';
import './i18n/i18n';
import './styles.css';
import { App } from './app';

render(<App />, document.getElementById('app')!);
