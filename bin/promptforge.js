#!/usr/bin/env node
require('../dist/forge/cli.js');
