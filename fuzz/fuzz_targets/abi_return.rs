//! Return data of every contract call Ballast decodes, as a node (or a
//! contract at a wrong address) might send it. The first byte picks the
//! decoder, the rest is the data; for the Aave reader, a second length byte
//! splits it into the market's and the user's data, and what decodes is
//! built into a scenario and valued. Never a panic.
#![no_main]

use alloy_primitives::U256;
use ballast_chain::aave_reader::periphery_v3_0_1::{decode_reserves_data, decode_user_reserves_data};
use ballast_chain::aave_reader::{
    decode_emode_category_data, decode_pool_revision, decode_user_account_data, decode_user_emode, scenario_from_chain,
};
use ballast_chain::{chainlink, multicall};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    let Some((&which, data)) = input.split_first() else { return };
    match which % 14 {
        0 => drop(decode_user_account_data(data)),
        1 => drop(decode_user_emode(data)),
        2 => drop(decode_emode_category_data(1, data)),
        3 => drop(decode_pool_revision(data)),
        4 => drop(chainlink::decode_latest_round_data(data)),
        5 => drop(chainlink::decode_decimals(data)),
        6 => drop(chainlink::decode_description(data)),
        7 => drop(chainlink::decode_latest_answer(data, 8)),
        8 => drop(chainlink::decode_assets_prices(data, 3)),
        9 => drop(chainlink::decode_grace_period(data)),
        10 => {
            if let Ok(outcomes) = multicall::decode_aggregate3(data, 2) {
                for outcome in outcomes {
                    let _ = outcome.decode::<chainlink::AggregatorV3Interface::latestRoundDataCall>();
                }
            }
        }
        11 => drop(decode_user_reserves_data(data)),
        12 => drop(decode_reserves_data(data)),
        _ => {
            // [market length: u32 big-endian][market data][user data]
            let Some((len, rest)) = data.split_first_chunk::<4>() else { return };
            let (market, user) = rest.split_at(usize::min(u32::from_be_bytes(*len) as usize, rest.len()));
            let (Ok(market), Ok(user)) = (decode_reserves_data(market), decode_user_reserves_data(user)) else {
                return;
            };
            if let Ok(scenario) = scenario_from_chain(&market, &user, &[], U256::from(1), 1_769_820_972) {
                let _ = ballast_core::evaluate(&scenario);
            }
        }
    }
});
