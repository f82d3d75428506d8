import React from 'react';

import {Button} from './shared/controls';
import {useT} from './shared/intl';
import {Notice} from './shared/notices';

interface State {
    error?: Error;

    // Bumped by Reload so the page below mounts afresh.
    generation: number;
}

// Nothing in the System Console catches a plugin's render error, so without this one bug would
// blank the whole console. A crash stays inside the page and can be retried from here.
export class PageBoundary extends React.Component<{children: React.ReactNode}, State> {
    state: State = {generation: 0};

    static getDerivedStateFromError(error: Error): Partial<State> {
        return {error};
    }

    componentDidCatch(error: Error, info: React.ErrorInfo) {
        console.error(`[${PLUGIN_ID}] the Token Audit page crashed`, error, info.componentStack);
    }

    private reload = () => {
        this.setState((s) => ({error: undefined, generation: s.generation + 1}));
    };

    render() {
        if (this.state.error) {
            return (
                <Crashed
                    message={this.state.error.message}
                    onReload={this.reload}
                />
            );
        }
        return <React.Fragment key={this.state.generation}>{this.props.children}</React.Fragment>;
    }
}

function Crashed({message, onReload}: {message: string; onReload: () => void}) {
    const t = useT();
    return (
        <Notice
            testId='ta-crashed'
            tone='error'
            role='alert'
            title='token_audit.crashed.title'
            body='token_audit.crashed.body'
        >
            {message && <p className='ta-muted ta-mono'>{message}</p>}
            <Button
                primary={true}
                testId='ta-crashed-reload'
                label={t('token_audit.crashed.reload')}
                onClick={onReload}
            />
        </Notice>
    );
}
