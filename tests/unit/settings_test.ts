import assert from "node:assert/strict";
import { SettingError } from "../../core/errors.ts";
import {
  defaultSettings,
  formatSetting,
  parseSettings,
  type Setting,
  type SettingKey,
  SETTINGS,
} from "../../core/settings.ts";
import { trainingJob } from "../../core/jobs/mod.ts";

const KEYS = Object.keys(SETTINGS) as SettingKey[];

Deno.test("defaultSettings() is the book's final network: 784-200-10, lr 0.1, 5 epochs, sigmoid, book init", () => {
  const { config } = trainingJob(defaultSettings());
  assert.deepEqual(config.layers, [784, 200, 10]);
  assert.equal(config.learningRate, 0.1);
  assert.equal(config.epochs, 5);
  assert.equal(config.activation, "sigmoid");
  assert.equal(config.init, "book");
  assert.equal(config.rotate, 0);
});

Deno.test("every setting's default, written as text, parses back to itself", () => {
  for (const key of KEYS) {
    const setting = SETTINGS[key] as Setting<unknown>;
    if (setting.default === undefined) continue;
    assert.deepEqual(setting.parse(formatSetting(key, setting.default as never), key), setting.default, key);
  }
});

Deno.test("parseSettings() takes text (flags, forms) and JSON numbers (the API) alike", () => {
  const settings = parseSettings(
    { hidden: "200,100", learningRate: 0.3, epochs: "2", limitTrain: 5000 },
    { spell: (key) => key },
  );
  assert.deepEqual(settings.hidden, [200, 100]);
  assert.equal(settings.learningRate, 0.3);
  assert.equal(settings.epochs, 2);
  assert.equal(settings.limitTrain, 5000);
  assert.equal(settings.limitTest, undefined);
});

Deno.test("parseSettings() names the setting as the caller spells it, and refuses objects where numbers belong", () => {
  const flags = (key: SettingKey) => `--${SETTINGS[key].flag}`;
  assert.throws(
    () => parseSettings({ learningRate: "0" }, { spell: flags }),
    /--lr must be a number > 0, got "0"/,
  );
  assert.throws(
    () => parseSettings({ limitTrain: "-5" }, { spell: (key) => key }),
    /limitTrain must be a whole number ≥ 1/,
  );
  assert.throws(
    () => parseSettings({ learningRate: { toString: 1 } }, { spell: (key) => key }),
    SettingError,
  );
  assert.throws(
    () => parseSettings({ hidden: [200] }, { spell: (key) => key }),
    /hidden must be whole numbers/,
  );
  assert.throws(
    () => parseSettings({ hidden: "1,2,3,4,5,6,7,8,9" }, { spell: (key) => key }),
    /1 to 8 whole numbers/,
  );
  assert.throws(
    () => parseSettings({ activation: "relu" }, { spell: flags }),
    /--activation must be one of sigmoid, tanh/,
  );
  assert.throws(
    () => parseSettings({ rotate: "181" }, { spell: flags }),
    /--rotate must be a number ≥ 0 and ≤ 180/,
  );
  assert.throws(() => parseSettings({ name: 7 }, { spell: (key) => key }), /name must be text/);
});
