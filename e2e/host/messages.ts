// The stand-in's own strings (the console frame and the channel around the plugin), in the locales
// the plugin ships. The plugin's strings come from registerTranslations and are merged over these.
const en = {
    'admin.plugin.enable_plugin': 'Enable Plugin: ',
    'admin.plugin.enable_plugin.help': 'When true, this plugin is enabled.',
    'admin.plugin.customSetting.pluginDisabledWarning': 'In order to view this setting, enable the plugin and click Save.',
    'admin.true': 'true',
    'admin.false': 'false',
    'admin.save': 'Save',
    'admin.saving': 'Saving Config...',
    'admin.sidebar.filter': 'Find settings',
    'admin.sidebar.reporting': 'Reporting',
    'admin.sidebar.userManagement': 'User Management',
    'admin.sidebar.environment': 'Environment',
    'admin.sidebar.site': 'Site Configuration',
    'admin.sidebar.authentication': 'Authentication',
    'admin.sidebar.plugins': 'Plugins',
    'admin.sidebar.pluginManagement': 'Plugin Management',
    'admin.sidebar.integrations': 'Integrations',
    'admin.sidebar.compliance': 'Compliance',
    'host.channel.placeholder': 'Write to Town Square',
    'host.thread.title': 'Thread',
    'host.thread.close': 'Close thread',
    'host.thread.reply': 'Reply…',
    'host.post.reply': 'Reply',
    'host.post.ephemeral': '(Only visible to you)',
    'post_info.message.show_more': 'Show more',
    'post_info.message.show_less': 'Show less',
};

type Catalogue = Record<keyof typeof en, string>;

const de: Catalogue = {
    'admin.plugin.enable_plugin': 'Plugin aktivieren: ',
    'admin.plugin.enable_plugin.help': 'Wenn wahr, ist dieses Plugin eingeschaltet.',
    'admin.plugin.customSetting.pluginDisabledWarning': 'Um diese Einstellung zu sehen, aktiviere das Plugin und klicke auf Speichern.',
    'admin.true': 'wahr',
    'admin.false': 'falsch',
    'admin.save': 'Speichern',
    'admin.saving': 'Konfiguration wird gespeichert...',
    'admin.sidebar.filter': 'Einstellungen suchen',
    'admin.sidebar.reporting': 'Berichte',
    'admin.sidebar.userManagement': 'Benutzerverwaltung',
    'admin.sidebar.environment': 'Umgebung',
    'admin.sidebar.site': 'Seitenkonfiguration',
    'admin.sidebar.authentication': 'Authentifizierung',
    'admin.sidebar.plugins': 'Plugins',
    'admin.sidebar.pluginManagement': 'Plugin-Verwaltung',
    'admin.sidebar.integrations': 'Integrationen',
    'admin.sidebar.compliance': 'Compliance',
    'host.channel.placeholder': 'An Town Square schreiben',
    'host.thread.title': 'Thread',
    'host.thread.close': 'Thread schließen',
    'host.thread.reply': 'Antworten…',
    'host.post.reply': 'Antworten',
    'host.post.ephemeral': '(Nur für dich sichtbar)',
    'post_info.message.show_more': 'Mehr anzeigen',
    'post_info.message.show_less': 'Weniger anzeigen',
};

const es: Catalogue = {
    'admin.plugin.enable_plugin': 'Activar el plugin: ',
    'admin.plugin.enable_plugin.help': 'Si es verdadero, este plugin está activado.',
    'admin.plugin.customSetting.pluginDisabledWarning': 'Para ver este ajuste, activa el plugin y pulsa Guardar.',
    'admin.true': 'verdadero',
    'admin.false': 'falso',
    'admin.save': 'Guardar',
    'admin.saving': 'Guardando la configuración...',
    'admin.sidebar.filter': 'Buscar ajustes',
    'admin.sidebar.reporting': 'Informes',
    'admin.sidebar.userManagement': 'Gestión de usuarios',
    'admin.sidebar.environment': 'Entorno',
    'admin.sidebar.site': 'Configuración del sitio',
    'admin.sidebar.authentication': 'Autenticación',
    'admin.sidebar.plugins': 'Plugins',
    'admin.sidebar.pluginManagement': 'Gestión de plugins',
    'admin.sidebar.integrations': 'Integraciones',
    'admin.sidebar.compliance': 'Cumplimiento',
    'host.channel.placeholder': 'Escribir en Town Square',
    'host.thread.title': 'Hilo',
    'host.thread.close': 'Cerrar el hilo',
    'host.thread.reply': 'Responder…',
    'host.post.reply': 'Responder',
    'host.post.ephemeral': '(Solo tú puedes verlo)',
    'post_info.message.show_more': 'Mostrar más',
    'post_info.message.show_less': 'Mostrar menos',
};

const catalogues: Record<string, Catalogue> = {en, de, es};

export type HostMessageId = keyof typeof en;

// Mattermost stores '' for "the server default", which is English here.
export function hostMessages(locale: string): Catalogue {
    return catalogues[locale] ?? en;
}
