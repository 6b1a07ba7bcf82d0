"""One module per fee, each holding that fee's compile step (its table section(s) into numpy lookups), its
vectorised evaluation (returning its own typed `Line`), its explanation and, where the channel search needs
them, its price breakpoints.  `base` is what they share; `feecalc.engine` composes them in a stated order.

| module            | fee line(s)                        | table section(s)                               |
|-------------------|------------------------------------|------------------------------------------------|
| size_tier         | (size tier, dimensional weight)    | size_tiers, dimensional_weight                 |
| fulfillment       | fulfillment                        | price_bands, fulfillment_cards                 |
| sipp              | sipp_discount                      | sipp_discounts                                 |
| overmax           | overmax_handling                   | overmax_handling                               |
| fuel              | fuel_surcharge                     | surcharges                                     |
| packaging         | packaging                          | packaging_fees                                 |
| low_inventory     | low_inventory_level                | low_inventory_level                            |
| referral          | referral                           | referral                                       |
| closing           | closing                            | referral (closing_fee)                         |
| per_item          | per_item                           | per_item_fee                                   |
| dsf               | digital_services_fee               | digital_services_fee                           |
| storage           | storage_monthly                    | storage, storage_volume_unit                   |
| utilization       | storage_utilization_surcharge      | storage_utilization                            |
| aged_inventory    | aged_inventory_surcharge           | aged_inventory                                 |
| inbound_placement | inbound_placement                  | inbound_placement                              |
| returns_processing| returns_processing                 | returns_processing                             |
| removal           | removal_disposal                   | removal_orders                                 |
| vat               | (VAT contained in the price)       | vat                                            |
| notices           | (warnings)                         | notices                                        |
"""
