// Types for react.js: the React 18 API, which React 17 shares for everything the host page uses.
import * as ReactModule from 'react';
import * as ReactDOMModule from 'react-dom';
import * as ReactIntlModule from 'react-intl';

export import React = ReactModule;
export import ReactDOM = ReactDOMModule;
export import ReactIntl = ReactIntlModule;

export declare function createRoot(container: Element): {render(element: ReactModule.ReactNode): void};
