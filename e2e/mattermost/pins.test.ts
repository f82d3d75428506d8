// pins.json is the one list of Mattermost versions: every pin's go.mod and the README's
// compatibility table must say what it says.
import fs from 'fs';
import path from 'path';

import pinList from './pins.json';

const readme = fs.readFileSync(path.join(__dirname, '../../README.md'), 'utf8');

describe.each(pinList.pins)('Mattermost $version', (pin) => {
    test('its go.mod requires exactly the pinned server/v8 and server/public', () => {
        const goMod = fs.readFileSync(path.join(__dirname, pin.version, 'go.mod'), 'utf8');
        expect(goMod).toMatch(new RegExp(`github\\.com/mattermost/mattermost/server/v8 ${pin.server}\\b`));
        expect(goMod).toMatch(new RegExp(`github\\.com/mattermost/mattermost/server/public ${pin.public.replace(/\./g, '\\.')}\\b`));
        expect(fs.existsSync(path.join(__dirname, pin.version, 'go.sum'))).toBe(true);
    });

    test('the README compatibility table has its row', () => {
        const row = readme.split('\n').find((line) => line.startsWith(`| ${pin.version} |`));
        expect(row).toBeDefined();
        expect(row).toContain(`| ${pin.server} | ${pin.public} | ${pin.react} |`);
    });
});
