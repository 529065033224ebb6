#!/usr/bin/env node
require('../dist/server/main.js');
