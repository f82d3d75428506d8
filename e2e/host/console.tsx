// The System Console around a plugin's settings page, laid out as the webapp lays it out: the
// sidebar with its search box (which marks matching words across the page with mark.js, as
// admin_console's search_keyword_marking does), and the page schema_admin_settings renders for a
// plugin: the Enable setting first, then the manifest's settings in order, all in one
// form-horizontal form, with the Save bar always shown below it.
import Mark from 'mark.js';

import {React, ReactIntl} from './react';
import {api} from './api';
import {Markdown} from './markdown';
import type {HostMessageId} from './messages';

// From the React this Mattermost version's webapp gives plugins (react.js), like every part of the page.
const {useEffect, useRef, useState} = React;
const {FormattedMessage, useIntl} = ReactIntl;

export interface SchemaSetting {
    key: string;
    display_name?: string;
    type: string;
    help_text?: string;
    default?: unknown;
    placeholder?: string;
}

export interface SchemaSection {
    key: string;
    title?: string;
    subtitle?: string;
    header?: string;
    footer?: string;
    custom?: boolean;
    settings?: SchemaSetting[];
}

export interface Manifest {
    id: string;
    name: string;
    webapp?: {bundle_path: string};
    settings_schema?: {header?: string; footer?: string; settings?: SchemaSetting[]; sections?: SchemaSection[]};
}

export type PluginComponent = React.ComponentType<Record<string, unknown>>;

export interface Registration {
    pluginId: string;
    key: string;
    component: PluginComponent;
    options?: {showTitle?: boolean};
}

type Config = Record<string, unknown>;
type SaveAction = () => Promise<{error?: {message?: string}}>;

const Text = ({id}: {id: HostMessageId}) => <FormattedMessage id={id}/>;

function configValue(config: Config | null, path: string): unknown {
    return path.split('.').reduce<unknown>((obj, part) => (obj && typeof obj === 'object' ? (obj as Config)[part] : undefined), config);
}

function setConfigValue(config: Config, path: string, value: unknown) {
    const parts = path.split('.');
    let obj = config;
    for (const part of parts.slice(0, -1)) {
        obj[part] = obj[part] && typeof obj[part] === 'object' ? obj[part] : {};
        obj = obj[part] as Config;
    }
    obj[parts[parts.length - 1]] = value;
}

const enableKey = (pluginId: string) => `PluginSettings.PluginStates.${pluginId}.Enable`;
const settingKey = (pluginId: string, key: string) => `PluginSettings.Plugins.${pluginId}.${key.toLowerCase()}`;

export function AdminSidebar({pluginName, keyword, onKeyword}: {pluginName: string; keyword: string; onKeyword: (k: string) => void}) {
    const intl = useIntl();
    const groups: HostMessageId[] = ['admin.sidebar.reporting', 'admin.sidebar.userManagement', 'admin.sidebar.environment', 'admin.sidebar.site', 'admin.sidebar.authentication'];
    return (
        <nav
            className='admin-sidebar'
            data-testid='host-sidebar'
        >
            <div className='admin-sidebar__header'>{'System Console'}</div>
            <div className='filter-container'>
                <input
                    id='adminSidebarFilter'
                    className='filter form-control'
                    data-testid='host-sidebar-search'
                    type='text'
                    placeholder={intl.formatMessage({id: 'admin.sidebar.filter'})}
                    value={keyword}
                    onChange={(e) => onKeyword(e.target.value)}
                />
            </div>
            <ul className='admin-sidebar__sections'>
                {groups.map((id) => (
                    <li
                        key={id}
                        className='admin-sidebar__section'
                    ><Text id={id}/></li>
                ))}
                <li className='admin-sidebar__section'>
                    <Text id='admin.sidebar.plugins'/>
                    <ul className='admin-sidebar__subsections'>
                        <li><Text id='admin.sidebar.pluginManagement'/></li>
                        <li className='active'>{pluginName}</li>
                    </ul>
                </li>
                <li className='admin-sidebar__section'><Text id='admin.sidebar.integrations'/></li>
                <li className='admin-sidebar__section'><Text id='admin.sidebar.compliance'/></li>
            </ul>
        </nav>
    );
}

// Marks every match once the keyword changes; elements under .ignore-marking are left alone.
// data-marked-keyword says which keyword the marks on the page are for, once mark.js is done.
export function KeywordMarking({keyword, children}: {keyword: string; children: React.ReactNode}) {
    const container = useRef<HTMLDivElement>(null);
    useEffect(() => {
        const element = container.current!;
        const marker = new Mark(element);
        marker.unmark({done: () => {
            if (!keyword) {
                element.dataset.markedKeyword = '';
                return;
            }
            marker.mark(keyword, {accuracy: 'complementary', exclude: ['.ignore-marking *'], done: () => {
                element.dataset.markedKeyword = keyword;
            }});
        }});
    }, [keyword]);
    return (
        <div
            ref={container}
            className='admin-console'
            id='adminConsole'
            data-testid='host-console'
        >{children}</div>
    );
}

function Setting({label, inputId, helpText, children}: {label: React.ReactNode; inputId: string; helpText?: React.ReactNode; children: React.ReactNode}) {
    return (
        <div className='form-group'>
            <label
                className='control-label col-sm-4'
                htmlFor={inputId}
            >{label}</label>
            <div className='col-sm-8'>
                {children}
                {helpText && <div className='help-text'>{helpText}</div>}
            </div>
        </div>
    );
}

function Banner({children, warning}: {children: React.ReactNode; warning?: boolean}) {
    return (
        <div className={warning ? 'banner warning' : 'banner'}>
            <div className='banner__content'>{children}</div>
        </div>
    );
}

interface PageProps {
    manifest: Manifest;

    // The admin config (GET /api/v4/config); null for a user who may not read it.
    adminConfig: Config | null;
    environmentConfig: Config | null;
    license: Config;
    pluginActive: boolean;
    settings: Registration[];

    // null when the registry has no registerAdminConsoleCustomSection (older webapps).
    sections: Registration[] | null;
    onConfigSaved: (config: Config) => void;
}

export function PluginSettingsPage(props: PageProps) {
    const {manifest, adminConfig, settings, sections} = props;
    const intl = useIntl();
    const enable = enableKey(manifest.id);
    const schema = manifest.settings_schema ?? {};
    const allSettings = [...(schema.settings ?? []), ...(schema.sections ?? []).flatMap((s) => s.settings ?? [])];
    const [values, setValues] = useState<Record<string, unknown>>(() => {
        const initial: Record<string, unknown> = {[enable]: adminConfig ? configValue(adminConfig, enable) === true : props.pluginActive};
        for (const setting of allSettings) {
            const key = settingKey(manifest.id, setting.key);
            initial[key] = configValue(adminConfig, key) ?? setting.default;
        }
        return initial;
    });
    const [saveNeeded, setSaveNeeded] = useState(false);
    const [saving, setSaving] = useState(false);
    const [serverError, setServerError] = useState('');
    const [confirmNeededId, setConfirmNeededId] = useState('');
    const [showConfirmId, setShowConfirmId] = useState('');
    const saveActions = useRef<SaveAction[]>([]);

    const pluginOn = values[enable] === true;
    const setByEnv = (key: string) => Boolean(configValue(props.environmentConfig, key));

    const handleChange = (id: string, value: unknown, confirm = false) => {
        setValues((v) => ({...v, [id]: value}));
        setSaveNeeded(true);
        if (confirm) {
            setConfirmNeededId(id);
        } else if (id === confirmNeededId) {
            setConfirmNeededId('');
        }
    };

    const save = async (event?: React.FormEvent) => {
        event?.preventDefault();
        if (confirmNeededId) {
            setShowConfirmId(confirmNeededId);
            return;
        }
        setSaving(true);
        setServerError('');
        let failed = false;
        if (adminConfig) {
            const config = JSON.parse(JSON.stringify(adminConfig)) as Config;
            for (const [key, value] of Object.entries(values)) {
                const numeric = allSettings.find((s) => settingKey(manifest.id, s.key) === key)?.type === 'number';
                setConfigValue(config, key, numeric ? parseInt(String(value), 10) : value);
            }
            try {
                props.onConfigSaved(await api<Config>('PUT', '/api/v4/config/patch', config));
            } catch (err) {
                setServerError((err as Error).message);
                failed = true;
            }
        }
        const results = await Promise.all(saveActions.current.map((action) => action()));
        failed = failed || results.some((r) => r?.error?.message);
        setSaving(false);
        if (!failed) {
            setSaveNeeded(false);
            setConfirmNeededId('');
            setShowConfirmId('');
        }
    };

    const renderSetting = (setting: SchemaSetting) => {
        const id = settingKey(manifest.id, setting.key);
        const label = setting.display_name ?? setting.key;
        const helpText = setting.help_text ? <Markdown text={setting.help_text}/> : null;
        const disabled = !pluginOn;
        if (setting.type === 'custom') {
            const registration = settings.find((r) => r.key.toLowerCase() === setting.key.toLowerCase());
            if (!registration) {
                // As the webapp does for a custom setting whose plugin is not running; hidden once Enable is set to true.
                return pluginOn ? null : (
                    <Banner
                        key={id}
                        warning={true}
                    ><Text id='admin.plugin.customSetting.pluginDisabledWarning'/></Banner>
                );
            }
            const Component = registration.component;
            const instance = (
                <Component
                    key={id}
                    id={id}
                    label={label}
                    helpText={helpText}
                    value={values[id]}
                    disabled={disabled}
                    config={adminConfig}
                    license={props.license}
                    setByEnv={setByEnv(id)}
                    onChange={handleChange}
                    setSaveNeeded={() => setSaveNeeded(true)}
                    registerSaveAction={(action: SaveAction) => saveActions.current.push(action)}
                    unRegisterSaveAction={(action: SaveAction) => {
                        saveActions.current = saveActions.current.filter((a) => a !== action);
                    }}
                    cancelSubmit={() => setShowConfirmId('')}
                    showConfirm={showConfirmId === id}
                />
            );
            return registration.options?.showTitle ? (
                <Setting
                    key={id}
                    label={label}
                    inputId={id}
                    helpText={helpText}
                >{instance}</Setting>
            ) : instance;
        }
        return (
            <Setting
                key={id}
                label={label}
                inputId={id}
                helpText={helpText}
            >
                <input
                    id={id}
                    className='form-control'
                    data-testid={`host-setting-${setting.key}`}
                    type={setting.type === 'number' ? 'number' : 'text'}
                    placeholder={setting.placeholder}
                    value={String(values[id] ?? '')}
                    disabled={disabled || setByEnv(id)}
                    onChange={(e) => handleChange(id, e.target.value)}
                />
            </Setting>
        );
    };

    const enableSetting = (
        <Setting
            key={enable}
            label={<Text id='admin.plugin.enable_plugin'/>}
            inputId={enable}
            helpText={<Text id='admin.plugin.enable_plugin.help'/>}
        >
            {[true, false].map((choice) => (
                <label
                    key={String(choice)}
                    className='radio-inline'
                >
                    <input
                        type='radio'
                        name={enable}
                        id={`${enable}${choice}`}
                        data-testid={`host-enable-${choice}`}
                        checked={pluginOn === choice}
                        disabled={!adminConfig || setByEnv(enable)}
                        onChange={() => handleChange(enable, choice)}
                    />
                    <Text id={choice ? 'admin.true' : 'admin.false'}/>
                </label>
            ))}
        </Setting>
    );

    const renderSections = (list: SchemaSection[], registered: Registration[]) => list.map((section) => {
        const settingsList = (section.settings ?? []).map(renderSetting);
        if (section.custom) {
            const registration = registered.find((r) => r.key === section.key);
            if (!registration) {
                return pluginOn ? null : (
                    <Banner
                        key={section.key}
                        warning={true}
                    ><Text id='admin.plugin.customSetting.pluginDisabledWarning'/></Banner>
                );
            }
            const Component = registration.component;
            return (
                <Component
                    key={section.key}
                    settingsList={settingsList}
                />
            );
        }
        return (
            <div
                key={section.key}
                className='config-section'
            >
                {section.title && <h3>{section.title}</h3>}
                {section.subtitle && <p className='config-section__subtitle'>{section.subtitle}</p>}
                <div className='section-body'>
                    {section.header && <Banner><Markdown text={section.header}/></Banner>}
                    {settingsList}
                    {section.footer && <Banner><Markdown text={section.footer}/></Banner>}
                </div>
            </div>
        );
    });

    const useSections = sections !== null && (schema.sections?.length ?? 0) > 0;
    return (
        <div className='wrapper--fixed'>
            <div className='admin-console__header'>{manifest.name}</div>
            <div className='admin-console__wrapper'>
                <div className='admin-console__content'>
                    <form
                        className='form-horizontal'
                        role='form'
                        onSubmit={save}
                    >
                        {schema.header && <Banner><Markdown text={schema.header}/></Banner>}
                        {enableSetting}
                        {useSections ? renderSections(schema.sections!, sections!) : (schema.settings ?? []).map(renderSetting)}
                        {schema.footer && <Banner><Markdown text={schema.footer}/></Banner>}
                    </form>
                </div>
            </div>
            <div className='admin-console-save'>
                <button
                    type='button'
                    id='saveSetting'
                    className='btn btn-primary'
                    data-testid='host-save'
                    disabled={!saveNeeded || saving || !adminConfig}
                    onClick={() => save()}
                >{saving ? intl.formatMessage({id: 'admin.saving'}) : intl.formatMessage({id: 'admin.save'})}</button>
                <div
                    className='error-message'
                    data-testid='host-save-error'
                    role='alert'
                >{serverError}</div>
            </div>
        </div>
    );
}
